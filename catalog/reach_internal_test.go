package catalog

import (
	"testing"
	"time"
)

// TestNextPoll: the watch's wait doubles from the poll with each failed
// read of the store, up to maxWatchBackoff, and is the poll again once the
// store answers; a poll longer than the cap is kept.
func TestNextPoll(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		poll  time.Duration
		fails int
		want  time.Duration
	}{
		{250 * ms, 0, 250 * ms},
		{250 * ms, 1, 500 * ms},
		{250 * ms, 2, time.Second},
		{250 * ms, 4, 4 * time.Second},
		{250 * ms, 5, 4 * time.Second},
		{250 * ms, 1000, 4 * time.Second},
		{3 * time.Second, 1, 4 * time.Second},
		{10 * time.Second, 0, 10 * time.Second},
		{10 * time.Second, 3, 10 * time.Second},
	}
	for _, tt := range tests {
		if got := nextPoll(tt.poll, tt.fails); got != tt.want {
			t.Errorf("nextPoll(%v, %d) = %v, want %v", tt.poll, tt.fails, got, tt.want)
		}
	}
}
