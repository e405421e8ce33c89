// Package ui is Doorstep's screens: go-app components and the routes that
// name them. The server registers the same routes (Routes) so that a deep
// link is prerendered there and routed in the browser.
//
// Components do no I/O. They read what the wiring in package main (app/)
// publishes as go-app state (SyncState under StateSync, for example) and
// raise actions for it to carry out, so every screen can be rendered by the
// server and tested without a browser.
//
// Every page renders inside a Shell: the header with the app name and the
// sync badge, the update prompt, the page's content and the navigation.
// Each page lives in its own file.
package ui
