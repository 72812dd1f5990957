package lzx

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// pinInput is deterministic data whose statistics change every few
// kilobytes (words, then bytes from a small alphabet with repeats), so the
// lazy parser's block splitter ends blocks inside chunks.
func pinInput() []byte {
	r := rand.New(rand.NewPCG(7, 9))
	words := make([][]byte, 300)
	for i := range words {
		w := make([]byte, 2+r.IntN(9))
		for j := range w {
			w[j] = byte('a' + r.IntN(26))
		}
		words[i] = w
	}
	var out []byte
	for len(out) < 600<<10 {
		end := len(out) + 3000 + r.IntN(20000)
		switch r.IntN(3) {
		case 0:
			for len(out) < end {
				out = append(out, words[r.IntN(len(words))]...)
				out = append(out, " \n"[r.IntN(8)/7])
			}
		case 1:
			for len(out) < end {
				if r.IntN(4) == 0 && len(out) > 300 {
					p := len(out) - 1 - r.IntN(300)
					out = append(out, out[p:p+3+r.IntN(20)]...)
				} else {
					out = append(out, byte(0x80+r.IntN(16)*8))
				}
			}
		default:
			for len(out) < end {
				out = append(out, byte(r.IntN(256)), 0, 0, byte(r.IntN(4)))
			}
		}
	}
	return out
}

// pinHash compresses data with compress (a fresh compressor's Compress
// per chunk size and level) and hashes every chunk's size and bytes.
func pinHash(t *testing.T, data []byte, newC func(chunk, level int) func(dst, src []byte) int) string {
	h := sha256.New()
	for _, chunk := range []int{1 << 15, 1 << 17} {
		for _, level := range []int{10, 20} {
			comp := newC(chunk, level)
			dst := make([]byte, chunk)
			for p := 0; p < len(data); p += chunk {
				src := data[p:min(p+chunk, len(data))]
				n := comp(dst, src)
				h.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16)})
				h.Write(dst[:n])
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestLazyOutputPinned pins the lazy parser's bytes (levels 10 and 20,
// uint16 and uint32 positions) on data where blocks end inside chunks:
// the items, tallies and splitter observations it records per match.
// The hash is that of the code before session 10's changes.
func TestLazyOutputPinned(t *testing.T) {
	const want = "1a6fcfc73ca7eb4bd9a227feca18ba829e0450b5e984107fd1bdd5799a0eef41"
	got := pinHash(t, pinInput(), func(chunk, level int) func(dst, src []byte) int {
		c, err := NewCompressor(chunk, level)
		if err != nil {
			t.Fatal(err)
		}
		return c.Compress
	})
	if got != want {
		t.Fatalf("lazy parser output hash %s, want %s", got, want)
	}
}
