package slackapi

import "errors"

// errStopped ends paging when the consumer of an iterator stops ranging.
var errStopped = errors.New("the consumer stopped reading")

// yielded is nil when the consumer wants more, else errStopped, which
// ends the pager that calls it.
func yielded(more bool) error {
	if more {
		return nil
	}
	return errStopped
}

// finish ends an iterator: err, unless it is nil or the consumer stopped,
// is the sequence's last element.
func finish[T any](yield func(T, error) bool, err error) {
	if err != nil && !errors.Is(err, errStopped) {
		var zero T
		yield(zero, err)
	}
}
