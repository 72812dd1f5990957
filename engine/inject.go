package engine

import (
	"strings"

	"github.com/wimgo/wimgo/engine/blob"
	"github.com/wimgo/wimgo/engine/image"
	"github.com/wimgo/wimgo/engine/source"
	"github.com/wimgo/wimgo/engine/wimfmt"
)

// injectFile puts data into the image as a regular file at path
// ("/"-separated from the root), replacing whatever is there and creating
// missing directories: --wimboot with --config stores the configuration as
// Windows/System32/WimBootCompress.ini this way.
func injectFile(res *source.Result, path string, data []byte) error {
	now := image.FileTime(timeNow().Unix(), int64(timeNow().Nanosecond()))
	newInode := func(attr uint32) *image.Inode {
		return &image.Inode{Attributes: attr, SecurityID: wimfmt.NoSecurityID, CreationTime: now, LastWriteTime: now, LastAccessTime: now}
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	dir := res.Root
	for i, p := range parts {
		n16, err := image.ToUTF16(p)
		if err != nil {
			return err
		}
		if i == len(parts)-1 {
			ino := newInode(wimfmt.AttrNormal)
			if len(data) > 0 {
				b := &blob.Blob{Size: int64(len(data)), Data: data, Name: path}
				ino.Data = b
				res.Blobs = append(res.Blobs, b)
			}
			dir.AddChild(image.NewDentry(p, n16, ino))
			return nil
		}
		c := dir.Child(p)
		if c == nil || !c.Inode.IsDir() {
			c = image.NewDentry(p, n16, newInode(wimfmt.AttrDirectory))
			dir.AddChild(c)
		}
		dir = c
	}
	return nil
}
