package source

import "golang.org/x/sys/unix"

// listXattrs lists the names of path's extended attributes (of the link
// itself unless follow) as "user.NAME" and "system.NAME", the names Linux
// gives them and unix.Getxattr takes. FreeBSD lists each namespace
// separately, so they are asked for one at a time: unix.Listxattr's
// concatenation of both lists loses which name is in which.
func listXattrs(path string, follow bool) ([]string, error) {
	list := unix.LlistxattrNS
	if follow {
		list = unix.ListxattrNS
	}
	var names []string
	for _, ns := range []struct {
		id     int
		prefix string
	}{{unix.EXTATTR_NAMESPACE_USER, "user."}, {unix.EXTATTR_NAMESPACE_SYSTEM, "system."}} {
		sz, err := list(path, ns.id, nil)
		if err == unix.EPERM && ns.id != unix.EXTATTR_NAMESPACE_USER {
			continue // only the superuser reads the system namespace
		}
		if err != nil {
			return nil, err
		}
		if sz == 0 {
			continue
		}
		buf := make([]byte, sz)
		n, err := list(path, ns.id, buf)
		if err != nil {
			return nil, err
		}
		split, err := splitExtattrNames(buf[:n], ns.prefix)
		if err != nil {
			return nil, err
		}
		names = append(names, split...)
	}
	return names, nil
}
