// Command wimappend adds an image captured from a directory, a source list
// or an NTFS volume to an existing WIM archive. It takes wimlib's command
// line: wimappend SOURCE WIMFILE [IMAGE_NAME [IMAGE_DESC]] [OPTION...].
package main

import (
	"os"

	"github.com/wimgo/wimgo/cmd/internal/cli"
)

func main() {
	cli.TuneGC()
	os.Exit(cli.Run(cli.Append, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
