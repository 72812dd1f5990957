// Command wimcapture creates a WIM archive holding one image captured from
// a directory, a source list or an NTFS volume. It takes wimlib's command
// line: wimcapture SOURCE WIMFILE [IMAGE_NAME [IMAGE_DESC]] [OPTION...].
package main

import (
	"os"

	"github.com/wimgo/wimgo/cmd/internal/cli"
)

func main() {
	cli.TuneGC()
	os.Exit(cli.Run(cli.Capture, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
