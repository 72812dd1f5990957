// Package wimfmt holds the on-disk structures of a WIM file and their
// encoding and decoding: header, resource headers, blob table entries,
// dentries, stream entries, security data, the XML document and the
// integrity table.
//
// It does no file I/O and imports nothing else of the engine; callers hand it
// byte slices. Every count read from a file is checked against the slice
// length or a named limit before anything is allocated.
//
// Layouts follow shared/research/wim-format.md; all integers are
// little-endian.
package wimfmt
