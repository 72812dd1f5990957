//go:build !amd64 || purego

package lzx

import "unsafe"

const haveNearAsm = false

func minCostPathAsm(in *byte, start, size int, nodes *optNode, costs *costModel, cache *uint32, counts *uint16, queues *uint64, gaps *uint32, q0 uint64) {
	panic("lzx: no assembly")
}

const btAsm = false

func btGetMatches16(m unsafe.Pointer, in *byte, child *uint16, pos, maxLen, niceLen, depth int, out *uint32) (n, best int) {
	panic("lzx: no assembly")
}

func btSkip16(m unsafe.Pointer, in *byte, child *uint16, pos, niceLen, depth int) {
	panic("lzx: no assembly")
}

func nearScan16(s *nearScan) {
	panic("lzx: no assembly")
}

const hcAsm = false

func lazyRun16(m unsafe.Pointer, in *byte, s *lazyState) bool {
	panic("lzx: no assembly")
}

// writeSeqs emits the literals and matches of one block.
func writeSeqs(w *bitWriter, block []byte, seqs []seq, c *blockCodes, aligned bool) {
	writeSeqsGo(w, block, seqs, c, aligned)
}
