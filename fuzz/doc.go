// Package fuzz holds the fuzz targets (testing.F) for every decoder, the
// WIM reader (regular and pipable), appending (in place, rebuild, compact),
// --update-of templates and the configuration and source list parsers; the
// option parser's target, FuzzParseArgs, is in cmd/internal/cli. The seeds
// (built in the tests, plus crashers in testdata/fuzz) run as ordinary
// tests with `go test ./fuzz`; long runs are `go test ./fuzz -run=^$
// -fuzz=FuzzName -fuzztime=10m` (see the README).
package fuzz
