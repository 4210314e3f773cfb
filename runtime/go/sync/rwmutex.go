package sync

// maxReaders bounds the readers an RWMutex can have at once.
const maxReaders = 1 << 30

// An RWMutex is a reader/writer mutual exclusion lock: any number of readers or one
// writer. Its zero value is unlocked. A writer that calls Lock keeps new readers out until
// it has had its turn, so writers do not starve (as in Go; a reader must therefore not
// take a second read lock while a writer may be waiting).
//
// The algorithm is Go's: readerCount counts readers, and a writer subtracts maxReaders
// from it to announce itself, so that a negative count sends new readers to wait on
// readerSem; readerWait counts the readers the writer still waits for, and the last of
// them wakes it through writerSem.
type RWMutex struct {
	w           Mutex // held by the writer, and by a writer waiting for readers
	writerSem   sema
	readerSem   sema
	readerCount int32
	readerWait  int32
}

// RLock locks rw for reading.
func (rw *RWMutex) RLock() {
	if add32(&rw.readerCount, 1) < 0 {
		// A writer holds or waits for the lock.
		rw.readerSem.acquire()
	}
}

// TryRLock tries to lock rw for reading and reports whether it succeeded.
func (rw *RWMutex) TryRLock() bool {
	for {
		c := load32(&rw.readerCount)
		if c < 0 {
			return false
		}
		if cas32(&rw.readerCount, c, c+1) {
			return true
		}
	}
}

// RUnlock undoes one RLock. It is a fatal error if rw is not locked for reading.
func (rw *RWMutex) RUnlock() {
	if r := add32(&rw.readerCount, -1); r < 0 {
		if r+1 == 0 || r+1 == -maxReaders {
			throw("sync: RUnlock of unlocked RWMutex")
		}
		// A writer waits: the last reader it waits for wakes it.
		if add32(&rw.readerWait, -1) == 0 {
			rw.writerSem.release()
		}
	}
}

// Lock locks rw for writing, waiting until no reader or writer holds it.
func (rw *RWMutex) Lock() {
	rw.w.Lock()
	// Announce the writer; r is the number of readers that still hold the lock.
	r := add32(&rw.readerCount, -maxReaders) + maxReaders
	if r != 0 && add32(&rw.readerWait, r) != 0 {
		rw.writerSem.acquire()
	}
}

// TryLock tries to lock rw for writing and reports whether it succeeded.
func (rw *RWMutex) TryLock() bool {
	if !rw.w.TryLock() {
		return false
	}
	if !cas32(&rw.readerCount, 0, -maxReaders) {
		rw.w.Unlock()
		return false
	}
	return true
}

// Unlock unlocks rw for writing and lets the readers that waited in. It is a fatal
// error if rw is not locked for writing.
func (rw *RWMutex) Unlock() {
	r := add32(&rw.readerCount, maxReaders)
	if r >= maxReaders {
		throw("sync: Unlock of unlocked RWMutex")
	}
	for i := 0; i < int(r); i++ {
		rw.readerSem.release()
	}
	rw.w.Unlock()
}

// RLocker returns a Locker whose Lock and Unlock are rw's RLock and RUnlock.
func (rw *RWMutex) RLocker() Locker {
	return (*rlocker)(rw)
}

type rlocker RWMutex

func (r *rlocker) Lock()   { (*RWMutex)(r).RLock() }
func (r *rlocker) Unlock() { (*RWMutex)(r).RUnlock() }
