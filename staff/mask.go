package staff

import "unicode/utf8"

// MaskPhone hides the middle of a phone number: 13812345678 → 138****5678;
// numbers of 7 digits or fewer keep only their last 2.
func MaskPhone(p string) string {
	n := len(p)
	switch {
	case n == 0:
		return ""
	case n > 7:
		return p[:3] + "****" + p[n-4:]
	case n > 2:
		return "*****"[:min(5, n-2)] + p[n-2:]
	}
	return "**"
}

// MaskName keeps a name's first character: 张三丰 → 张**.
func MaskName(name string) string {
	r, size := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError && size <= 1 {
		return ""
	}
	rest := utf8.RuneCountInString(name[size:])
	b := make([]byte, 0, size+rest)
	b = append(b, name[:size]...)
	for range rest {
		b = append(b, '*')
	}
	return string(b)
}

// CanSeePersonal reports whether a role sees names and phone numbers
// unmasked: admin, dispatcher and supervisor always; a grid worker those
// of its own incidents' reporters and of staff (its colleagues), which the
// caller decides; every other role and anonymous callers never.
func CanSeePersonal(role string) bool {
	return role == "admin" || role == "dispatcher" || role == "supervisor"
}
