package main

import (
	"context"
	"os"
	"sync"
)

// interrupts hands Ctrl-C (SIGINT) to the interactive shell while it runs,
// so that Ctrl-C cancels the running statement instead of the session.
type interrupts struct {
	mu sync.Mutex
	ch chan struct{} // nil until the shell takes Ctrl-C
}

// takeInterrupts makes every later SIGINT a value on the returned channel,
// received only while something waits for it (a statement runs); one that
// arrives while nothing waits is dropped.
func (e *env) takeInterrupts() <-chan struct{} {
	e.shellInterrupts.mu.Lock()
	defer e.shellInterrupts.mu.Unlock()
	if e.shellInterrupts.ch == nil {
		e.shellInterrupts.ch = make(chan struct{})
	}
	return e.shellInterrupts.ch
}

// forward passes a SIGINT to the shell; false when the shell has not taken
// Ctrl-C.
func (i *interrupts) forward() bool {
	i.mu.Lock()
	ch := i.ch
	i.mu.Unlock()
	if ch == nil {
		return false
	}
	select {
	case ch <- struct{}{}:
	default:
	}
	return true
}

// watchSignals returns ctx cancelled at the first SIGINT or SIGTERM on
// e.signals (SIGINT excepted while the shell has taken it), and a func that
// stops watching. Later signals are taken too, so a second Ctrl-C does not
// kill the process before it has cleaned up.
func (e *env) watchSignals(ctx context.Context) (context.Context, context.CancelFunc) {
	if e.shellInterrupts == nil {
		e.shellInterrupts = &interrupts{}
	}
	ctx, cancel := context.WithCancel(ctx)
	if e.signals == nil {
		return ctx, cancel
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-e.signals:
				if s == os.Interrupt && e.shellInterrupts.forward() {
					continue
				}
				cancel()
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return ctx, func() { once.Do(func() { close(done) }); cancel() }
}
