package wininfo

import "math"

// The registry holds the version and the install language as text; they
// are parsed as wimlib parses them, with C's sscanf: "%lld.%lld" and "%x".

func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

// scanInt parses a decimal integer after optional white space and sign,
// saturating on overflow (as strtoll), and returns the rest.
func scanInt(s string) (n int64, rest string, ok bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var u uint64
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		if u <= (math.MaxUint64-9)/10 {
			u = u*10 + uint64(s[i]-'0')
		} else {
			u = math.MaxUint64
		}
	}
	if i == start {
		return 0, s, false
	}
	switch {
	case neg && u > 1<<63:
		n = math.MinInt64
	case neg:
		n = -int64(u)
	case u > math.MaxInt64:
		n = math.MaxInt64
	default:
		n = int64(u)
	}
	return n, s[i:], true
}

// scanVersion parses "MAJOR.MINOR" into major and minor as sscanf
// "%lld.%lld" does: each number is stored as soon as it is read, so a
// string with only a major number sets major alone.
func scanVersion(s string, major, minor *int64) {
	n, rest, ok := scanInt(s)
	if !ok {
		return
	}
	*major = n
	if len(rest) == 0 || rest[0] != '.' {
		return
	}
	if n, _, ok := scanInt(rest[1:]); ok {
		*minor = n
	}
}

// scanHex parses a hexadecimal number as "%x" does: optional white space,
// sign and 0x prefix; an overflow saturates (as strtoul) and the result is
// the low 32 bits, as the unsigned int it is stored in.
func scanHex(s string) (uint32, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && i+2 < len(s) && hexVal(s[i+2]) >= 0 {
		i += 2
	}
	start := i
	var u uint64
	for ; i < len(s) && hexVal(s[i]) >= 0; i++ {
		if u>>60 != 0 {
			u = math.MaxUint64
			continue
		}
		u = u<<4 | uint64(hexVal(s[i]))
	}
	if i == start {
		return 0, false
	}
	if neg && u != math.MaxUint64 {
		u = -u
	}
	return uint32(u), true
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
