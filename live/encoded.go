package live

import "sync/atomic"

// encodings holds an event's encoded forms, made once and shared by every
// stream that sends it (fifty walls need one encoding, not fifty).
type encodings struct {
	forms [2]atomic.Pointer[[]byte]
}

// Encoded returns the encoding of e in form (0 or 1: the caller's two
// ways of showing it, such as with personal data masked or not), made by
// mk the first time any copy of e is asked for that form; mk must give
// the same bytes for the same form. An event that did not come through
// Publish is encoded each time.
func (e Event) Encoded(form int, mk func() ([]byte, error)) ([]byte, error) {
	if e.enc == nil {
		return mk()
	}
	if b := e.enc.forms[form].Load(); b != nil {
		return *b, nil
	}
	b, err := mk()
	if err != nil {
		return nil, err
	}
	e.enc.forms[form].Store(&b)
	return b, nil
}
