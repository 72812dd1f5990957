// Package resource writes and reads WIM resources: the chunked, optionally
// compressed byte runs that blobs, metadata and other tables are stored in.
//
// The Writer runs wimlib's pipeline for compressed resources: one goroutine
// reads each blob in order and hashes it, a pool of workers each owning a
// compressor compresses batches of chunks, and one writer lays the results
// down strictly in submission order (pipeline.go, emit.go). Uncompressed
// resources have their offsets known up front, so workers read, hash and
// write whole batches of blobs in parallel (plain.go). Either way the output
// is identical for any thread count.
//
// Files: type.go (types), settings.go (type names, levels, chunk sizes), writer.go (the Writer API),
// pool.go (the one worker pool), plain.go, pipeline.go, emit.go, layout.go
// (chunk tables), copyraw.go, reader.go, codecs.go (the codec registry).
package resource

import "fmt"

// Type is a WIM compression type, numbered as in solid resource headers and
// WIMGAPI.
type Type uint8

const (
	None   Type = 0
	XPRESS Type = 1
	LZX    Type = 2
	LZMS   Type = 3
)

var typeNames = [...]string{None: "None", XPRESS: "XPRESS", LZX: "LZX", LZMS: "LZMS"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}
