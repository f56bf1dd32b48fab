package auth

// MakeDue makes k look at its file at the next Authenticate, as its timer
// does CheckEvery after the last look.
func MakeDue(k *Keys) { k.armed.Store(true); k.due.Store(true) }
