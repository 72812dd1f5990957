package lzx

import "encoding/binary"

// bitWriter writes MSB-first bits as 16-bit little-endian units. acc holds n
// pending bits in its low end; callers flush before n could pass 64. buf is
// sized for the largest possible chunk output, so writes never check space;
// the compressor compares the length with its budget afterwards.
type bitWriter struct {
	buf []byte
	pos int
	acc uint64
	n   uint
}

func (w *bitWriter) put(v uint32, n uint) {
	w.acc = w.acc<<n | uint64(v)
	w.n += n
}

// flush emits every complete 16-bit unit.
func (w *bitWriter) flush() {
	for w.n >= 16 {
		w.n -= 16
		binary.LittleEndian.PutUint16(w.buf[w.pos:], uint16(w.acc>>w.n))
		w.pos += 2
	}
}

// finish zero-pads the last partial unit.
func (w *bitWriter) finish() {
	w.flush()
	if w.n > 0 {
		binary.LittleEndian.PutUint16(w.buf[w.pos:], uint16(w.acc<<(16-w.n)))
		w.pos += 2
		w.n = 0
	}
}
