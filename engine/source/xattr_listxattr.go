//go:build linux || darwin

package source

import "golang.org/x/sys/unix"

// listXattrs lists the names of path's extended attributes (of the link
// itself unless follow).
func listXattrs(path string, follow bool) ([]string, error) {
	list := unix.Llistxattr
	if follow {
		list = unix.Listxattr
	}
	for {
		sz, err := list(path, nil)
		if err != nil || sz == 0 {
			return nil, err
		}
		buf := make([]byte, sz)
		n, err := list(path, buf)
		if err == unix.ERANGE {
			continue // an attribute was added meanwhile
		}
		if err != nil {
			return nil, err
		}
		return splitXattrNames(buf[:n]), nil
	}
}
