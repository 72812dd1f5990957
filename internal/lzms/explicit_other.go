//go:build !amd64 || purego

package lzms

// explicitAsm: no assembly here.
const explicitAsm = false

func relaxExplicitAsm(a *parseNodes) { relaxExplicitGo(a) }

func relaxRangeWide(keys, lens []uint64, bk uint64) { relaxRange(keys, lens, bk) }
