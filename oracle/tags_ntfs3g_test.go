//go:build ntfs3g

package oracle

// buildTags builds the commands under test with NTFS volume capture when the
// tests themselves run with -tags ntfs3g.
const buildTags = "ntfs3g"
