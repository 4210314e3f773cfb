// Package sync is GoOS's implementation of Go's sync package: Mutex, RWMutex, WaitGroup,
// Once and Cond, with Go's signatures and behaviour. Zero values are ready to use. A
// goroutine that must wait blocks in the kernel on a channel (sema.go) and uses no CPU
// until it is woken; uncontended operations are a single atomic instruction and never
// enter the kernel.
package sync

// A Locker is something that can be locked and unlocked.
type Locker interface {
	Lock()
	Unlock()
}

// A Mutex is a mutual exclusion lock; its zero value is unlocked. It must not be copied
// after first use. It is not tied to a goroutine: one may lock it and another unlock it.
//
// state counts the goroutines that hold the lock or wait for it: Lock takes the lock when
// it raises the count from 0, and otherwise waits for the wake-up that Unlock sends when
// it leaves the count above 0. Waiters are woken in the order they reached the kernel's
// channel (the lock is handed over, so a waiter cannot starve).
type Mutex struct {
	state int32
	sema  sema
}

// Lock locks m, waiting until it is available.
func (m *Mutex) Lock() {
	if add32(&m.state, 1) > 1 {
		m.sema.acquire()
	}
}

// TryLock tries to lock m and reports whether it succeeded; it never waits.
func (m *Mutex) TryLock() bool {
	return cas32(&m.state, 0, 1)
}

// Unlock unlocks m. It is a fatal error if m is not locked.
func (m *Mutex) Unlock() {
	n := add32(&m.state, -1)
	if n > 0 {
		m.sema.release()
	} else if n < 0 {
		throw("sync: unlock of unlocked mutex")
	}
}
