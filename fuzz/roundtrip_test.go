package fuzz

import (
	"bytes"
	"testing"
)

// compressor and decompressor are the codec shape every codec package
// offers (internal/codecshape.md).
type compressor interface{ Compress(dst, src []byte) int }
type decompressor interface{ Decompress(dst, src []byte) error }

// checkRoundTrip compresses src and, when it shrinks, checks that the
// result is smaller and decodes back to src.
func checkRoundTrip(t *testing.T, c compressor, d decompressor, src []byte) {
	t.Helper()
	dst := make([]byte, len(src))
	n := c.Compress(dst, src)
	if n == 0 {
		return
	}
	if n >= len(src) {
		t.Fatalf("compressed %d bytes to %d", len(src), n)
	}
	out := make([]byte, len(src))
	if err := d.Decompress(out, dst[:n]); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, src) {
		t.Fatal("round trip mismatch")
	}
}
