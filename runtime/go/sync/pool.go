package sync

// A Pool is a set of temporary objects that may be reused, to relieve the allocator. Get
// returns any object that was Put (or, when there is none, the result of New, or nil).
// Go's Pool may drop its objects at any collection; ours keeps them until they are taken,
// which Go's contract allows. Its zero value is ready.
type Pool struct {
	mu    Mutex
	items []interface{}

	// New, if not nil, makes a value for Get when the pool is empty.
	New func() interface{}
}

// Put adds x to the pool; a nil x is ignored.
func (p *Pool) Put(x interface{}) {
	if x == nil {
		return
	}
	p.mu.Lock()
	p.items = append(p.items, x)
	p.mu.Unlock()
}

// Get removes some object from the pool and returns it; if the pool is empty, it returns
// p.New() or, without New, nil.
func (p *Pool) Get() interface{} {
	p.mu.Lock()
	if n := len(p.items); n > 0 {
		x := p.items[n-1]
		p.items[n-1] = nil
		p.items = p.items[:n-1]
		p.mu.Unlock()
		return x
	}
	p.mu.Unlock()
	if p.New != nil {
		return p.New()
	}
	return nil
}
