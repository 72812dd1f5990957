//go:build amd64 && !purego

package cli

import "golang.org/x/sys/cpu"

// codecAsm names the codecs' implementation: the amd64 assembly (the
// xpress and lzx packages' build tags), with the CPU features that enable
// its optional parts.
func codecAsm() string {
	s := "amd64 asm"
	var feats []string
	if cpu.X86.HasBMI2 {
		feats = append(feats, "BMI2")
	}
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX2 {
		feats = append(feats, "AVX-512")
	}
	if len(feats) > 0 {
		s += " (" + joinComma(feats) + ")"
	}
	return s
}
