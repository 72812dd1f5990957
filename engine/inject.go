package engine

import (
	"github.com/wimgo/wimgo/engine/source"
)

// wimbootConfigTarget is where --wimboot --config=FILE stores FILE.
const wimbootConfigTarget = "Windows/System32/WimBootCompress.ini"

// storeWIMBootConfig captures the --wimboot configuration file into the
// image as wimlib does: the file itself (its own times and attributes),
// replacing a file the source has there (whose blob is then not stored),
// refusing a directory there; missing parents are filler directories. As
// in wimlib, a source list gets it only if an entry captures the root.
func storeWIMBootConfig(res *source.Result, file string, io *ImageOptions) error {
	if io.SourceList {
		entries, err := source.ParseSourceList("", io.SourceListData)
		if err != nil {
			return err
		}
		root := false
		for _, e := range entries {
			root = root || e.Target == ""
		}
		if !root {
			return nil
		}
	}
	return source.AttachFile(res, file, wimbootConfigTarget)
}
