/**
 * What the alert strip at the foot of the window shows: the latest call alert (calls that come fast
 * collapse into one, "5 new calls") and, apart from it, messages about what the user just did
 * (errors first). Two places, so an error is never queued behind call alerts, and the strip has
 * its own row of the layout, so nothing it shows covers a button, a chart or a table.
 * UI state only: facts stay in the app store, written by main's events.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { CallStatus } from '../../shared/domain'

export interface CallAlert {
  title: string
  body: string
  /** Calls in this burst (1: a single call). */
  count: number
  /** The status of the latest call of the burst. */
  status: CallStatus
  callId: string
  at: number
}

export interface Message {
  id: number
  kind: 'error' | 'info'
  title: string
  message: string
  color: string
}

interface ToastState {
  callAlert: CallAlert | null
  messages: Message[]
}

/** Info messages go by themselves after this; errors stay until closed or replaced. */
const INFO_MS = 6_000
const ERROR_MS = 30_000
/** A call alert fades after this without a new call. */
const CALL_MS = 30_000
/** Messages kept at once (the oldest go first). */
const MAX_MESSAGES = 5

export const toastStore = createStore<ToastState>()(() => ({ callAlert: null, messages: [] }))

let nextId = 1
let callTimer: ReturnType<typeof setTimeout> | null = null

/** Shows (or updates in place) the one call alert. */
export function showCallAlert(alert: CallAlert): void {
  toastStore.setState({ callAlert: alert })
  if (callTimer) clearTimeout(callTimer)
  callTimer = setTimeout(() => toastStore.setState({ callAlert: null }), CALL_MS)
}

export function dismissCallAlert(): void {
  toastStore.setState({ callAlert: null })
}

/** Adds a message; errors are listed before information. Returns its id. */
export function pushMessage(m: Omit<Message, 'id'>): number {
  const id = nextId++
  toastStore.setState((s) => {
    const messages = [...s.messages, { ...m, id }]
    messages.sort((a, b) => (a.kind === b.kind ? b.id - a.id : a.kind === 'error' ? -1 : 1))
    return { messages: messages.slice(0, MAX_MESSAGES) }
  })
  setTimeout(() => dismissMessage(id), m.kind === 'error' ? ERROR_MS : INFO_MS)
  return id
}

export function dismissMessage(id: number): void {
  toastStore.setState((s) => ({ messages: s.messages.filter((m) => m.id !== id) }))
}

export function useToasts<T>(selector: (s: ToastState) => T): T {
  return useStore(toastStore, selector)
}
