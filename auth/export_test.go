package auth

import "time"

// SetClock makes k read the time from now (the tests' clock).
func SetClock(k *Keys, now func() time.Time) { k.now = now }
