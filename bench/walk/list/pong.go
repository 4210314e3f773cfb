package main

import "goos"

type node struct {
	value int
	next  *node
}

func main() {
	there := make(chan *node)
	back := make(chan *node)
	goos.Publish("there", there)
	goos.Publish("back", back)
	for l := range there {
		back <- l
	}
}
