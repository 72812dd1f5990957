package cli

import "io"

func compareLevels(cmd Command, a *Args, stdout, stderr io.Writer) error { return nil }
