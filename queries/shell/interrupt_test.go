package shell

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Ctrl-C cancels the running statement, and only it: the session's context
// goes on, and the next statement starts uncancelled.
func TestInterruptCancelsOnlyTheRunningStatement(t *testing.T) {
	t.Parallel()
	intr := make(chan struct{})
	s := &Shell{cfg: Config{Interrupts: intr}}
	session, end := context.WithCancel(context.Background())
	defer end()

	ctx, stop := s.interruptible(session)
	select {
	case intr <- struct{}{}:
	case <-time.After(10 * time.Second):
		t.Fatal("the running statement does not take Ctrl-C")
	}
	<-ctx.Done()
	stop()
	assert.NoError(t, session.Err(), "the session goes on")

	next, stop := s.interruptible(session)
	defer stop()
	assert.NoError(t, next.Err(), "the next statement starts afresh")
	end()
	<-next.Done() // and still ends with the session
}

func TestWithoutInterruptsAStatementEndsWithTheSession(t *testing.T) {
	t.Parallel()
	s := &Shell{}
	session, end := context.WithCancel(context.Background())
	ctx, stop := s.interruptible(session)
	defer stop()
	assert.NoError(t, ctx.Err())
	end()
	<-ctx.Done()
}
