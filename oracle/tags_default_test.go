//go:build !ntfs3g

package oracle

const buildTags = ""
