package sync

// Once performs exactly one action: the first call of Do runs f, and every call returns
// only after that f has returned. Its zero value is ready.
type Once struct {
	done int32 // 1 once f has returned (or panicked)
	m    Mutex
}

// Do calls f if and only if Do is being called for the first time for this Once. If f
// panics, Do considers it returned: later calls return without calling f.
func (o *Once) Do(f func()) {
	if load32(&o.done) == 0 {
		o.doSlow(f)
	}
}

func (o *Once) doSlow(f func()) {
	o.m.Lock()
	defer o.m.Unlock()
	if o.done == 0 {
		defer store32(&o.done, 1)
		f()
	}
}
