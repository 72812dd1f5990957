//go:build !amd64 || purego

package cli

// codecAsm names the codecs' implementation: pure Go on this build.
func codecAsm() string { return "purego" }
