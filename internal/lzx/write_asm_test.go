//go:build amd64 && !purego

package lzx

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

func TestWriteSeqsLayout(t *testing.T) {
	var c blockCodes
	if unsafe.Offsetof(c.mainCodes) != mainCodesOff || unsafe.Offsetof(c.lenLens) != lenLensOff ||
		unsafe.Offsetof(c.lenCodes) != lenCodesOff || unsafe.Offsetof(c.alignedLens) != alignedLensOff ||
		unsafe.Offsetof(c.alignedCode) != alignedCodeOff ||
		mainCodesOff != 656 || lenLensOff != 1968 || lenCodesOff != 2218 || alignedLensOff != 2716 || alignedCodeOff != 2724 {
		t.Fatalf("blockCodes offsets %d %d %d %d %d, write_amd64.s expects 656 1968 2218 2716 2724",
			unsafe.Offsetof(c.mainCodes), unsafe.Offsetof(c.lenLens), unsafe.Offsetof(c.lenCodes),
			unsafe.Offsetof(c.alignedLens), unsafe.Offsetof(c.alignedCode))
	}
	var s seq
	if unsafe.Sizeof(s) != 16 || unsafe.Offsetof(s.mainSym) != 4 || unsafe.Offsetof(s.length) != 8 || unsafe.Offsetof(s.extra) != 12 {
		t.Fatal("seq layout differs from write_amd64.s's")
	}
}

// TestWriteSeqsAsmMatchesGo compresses varied inputs at lazy and
// near-optimal levels (verbatim and aligned blocks, length symbols, long
// footers in 1M windows) with writeSeqsAsm and with the Go loop.
func TestWriteSeqsAsmMatchesGo(t *testing.T) {
	defer func() { writeAsm = true }()
	type cfg struct{ chunk, level int }
	cfgs := []cfg{{1 << 15, 20}, {1 << 15, 50}, {1 << 16, 100}, {1 << 20, 20}}
	for name, data := range asmTestInputs(t) {
		for _, c := range cfgs {
			t.Run(fmt.Sprintf("%s/%d/%d", name, c.chunk, c.level), func(t *testing.T) {
				var outs [2][]byte
				for k, asm := range []bool{false, true} {
					writeAsm = asm
					cmp, err := NewCompressor(c.chunk, c.level)
					if err != nil {
						t.Fatal(err)
					}
					dst := make([]byte, c.chunk)
					for p := 0; p < len(data); p += c.chunk {
						src := data[p:min(p+c.chunk, len(data))]
						n := cmp.Compress(dst[:len(src)-1], src)
						outs[k] = append(outs[k], byte(n), byte(n>>8), byte(n>>16))
						outs[k] = append(outs[k], dst[:n]...)
					}
				}
				if !bytes.Equal(outs[0], outs[1]) {
					t.Fatalf("assembly output differs (%d vs %d bytes)", len(outs[1]), len(outs[0]))
				}
			})
		}
	}
}

// TestWriteSeqsAsmItems writes random items under random codes (every
// slot, length symbols, aligned and verbatim footers) both ways, into
// buffers just large enough, so the assembly also hands the last items
// over to the Go loop.
func TestWriteSeqsAsmItems(t *testing.T) {
	defer func() { writeAsm = true }()
	r := rand.New(rand.NewPCG(1, 2))
	var h huffBuilder
	for round := range 200 {
		var tl tally
		for i := range tl.main {
			tl.main[i] = uint32(r.IntN(50) * r.IntN(2))
		}
		for i := range tl.length {
			tl.length[i] = uint32(r.IntN(9))
		}
		for i := range tl.aligned {
			tl.aligned[i] = uint32(r.IntN(9))
		}
		for i := range 256 {
			tl.main[i]++ // every literal has a code
		}
		var c blockCodes
		h.build(tl.main[:], c.mainLens[:], c.mainCodes[:], maxMainCodeLen)
		h.build(tl.length[:], c.lenLens[:], c.lenCodes[:], maxLenCodeLen)
		h.build(tl.aligned[:], c.alignedLens[:], c.alignedCode[:], maxAlignedCodeLen)
		var seqs []seq
		var block []byte
		for range r.IntN(300) + 1 {
			lits := r.IntN(8)
			if r.IntN(20) == 0 {
				lits = r.IntN(3000)
			}
			for range lits {
				block = append(block, byte(r.IntN(256)))
			}
			var ms uint32
			for ms < numChars || tl.main[ms] == 0 || c.mainLens[ms] == 0 {
				ms = numChars + uint32(r.IntN(maxMainSyms-numChars))
			}
			hdr := (ms - numChars) & 7
			length := hdr + minMatchLen
			if hdr == numLenHeaders-1 {
				ls := uint32(r.IntN(numLenSyms))
				for c.lenLens[ls] == 0 {
					ls = uint32(r.IntN(numLenSyms))
				}
				length += ls
			}
			slot := (ms - numChars) >> 3
			extra := r.Uint32() & (1<<slotFooter[slot] - 1)
			for range length {
				block = append(block, byte(r.IntN(256)))
			}
			seqs = append(seqs, seq{litRun: uint32(lits), mainSym: ms, length: length, extra: extra})
		}
		tail := r.IntN(5)
		for range tail {
			block = append(block, byte(r.IntN(256)))
		}
		seqs = append(seqs, seq{litRun: uint32(tail)})
		aligned := round%2 == 0

		writeAsm = false
		want := bitWriter{buf: make([]byte, 8*len(block)+1024), acc: uint64(round), n: uint(round % 16)}
		writeSeqs(&want, block, seqs, &c, aligned)
		// A buffer too small: the Go loop's bounds check panics, and the
		// assembly has written nothing past the end before it.
		if want.pos > 8 {
			writeAsm = true
			size := want.pos - 1 - round%8
			buf := bytes.Repeat([]byte{0xa5}, size+64)
			got := bitWriter{buf: buf[:size], acc: uint64(round), n: uint(round % 16)}
			func() {
				defer func() {
					if recover() == nil {
						t.Fatalf("round %d: no panic writing %d bytes into %d", round, want.pos, size)
					}
				}()
				writeSeqs(&got, block, seqs, &c, aligned)
			}()
			if !bytes.Equal(buf[size:], bytes.Repeat([]byte{0xa5}, 64)) {
				t.Fatalf("round %d: assembly wrote past a short buffer", round)
			}
		}
		for slack := 0; slack < 40; slack += 7 {
			writeAsm = true
			// Bytes past the buffer's end must stay as they were.
			size := want.pos + slack + 2
			buf := make([]byte, size+64)
			for i := range buf {
				buf[i] = 0xa5
			}
			got := bitWriter{buf: buf[:size], acc: uint64(round), n: uint(round % 16)}
			writeSeqs(&got, block, seqs, &c, aligned)
			if !bytes.Equal(buf[size:], bytes.Repeat([]byte{0xa5}, 64)) {
				t.Fatalf("round %d slack %d: assembly wrote past the buffer", round, slack)
			}
			if got.pos != want.pos || got.n != want.n || got.acc<<(64-got.n)>>(64-got.n) != want.acc<<(64-want.n)>>(64-want.n) ||
				!bytes.Equal(got.buf[:got.pos], want.buf[:want.pos]) {
				t.Fatalf("round %d slack %d: assembly wrote %d bytes (%d bits pending), Go %d (%d)", round, slack, got.pos, got.n, want.pos, want.n)
			}
		}
	}
}
