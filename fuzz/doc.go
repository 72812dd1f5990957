// Package fuzz holds the fuzz targets (testing.F) for every decoder and for
// the WIM reader. The seeds in testdata/fuzz run as ordinary tests with
// `go test ./fuzz`; long runs are `go test ./fuzz -run=^$ -fuzz=FuzzName
// -fuzztime=10m` (see the README).
package fuzz
