package source

import "fmt"

// splitExtattrNames splits an extattr_list_file(2) result, each name
// preceded by its length in one byte and not terminated, prefixing each
// with prefix (its namespace). Kept apart from the FreeBSD code so that it
// is tested everywhere.
func splitExtattrNames(buf []byte, prefix string) ([]string, error) {
	var names []string
	for len(buf) > 0 {
		n := int(buf[0])
		if n == 0 || 1+n > len(buf) {
			return nil, fmt.Errorf("malformed extended attribute list (name length %d, %d bytes left)", n, len(buf)-1)
		}
		names = append(names, prefix+string(buf[1:1+n]))
		buf = buf[1+n:]
	}
	return names, nil
}
