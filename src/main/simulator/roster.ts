/**
 * The simulated call centre: its agents, departments, caller circles and virtual number.
 * Exported so the core can seed the supervisor's agent directory when the simulator stands in
 * for the vendor (the numbers then match what the simulator routes calls to).
 */

export const SIMULATED_DEPARTMENTS = ['Sales', 'Support', 'Billing'] as const
export type SimulatedDepartment = (typeof SIMULATED_DEPARTMENTS)[number]

export interface SimulatedAgent {
  /** 10-digit Indian mobile number, as a supervisor would register it (`agentnum`). */
  number: string
  name: string
  department: SimulatedDepartment
}

/** Eight agents, two or three per department. Numbers are made up (not real subscribers). */
export const SIMULATED_AGENTS: readonly SimulatedAgent[] = [
  { number: '9876543210', name: 'Asha Kulkarni', department: 'Sales' },
  { number: '9823456781', name: 'Rohan Mehta', department: 'Sales' },
  { number: '8971234560', name: 'Priya Nair', department: 'Sales' },
  { number: '9445012378', name: 'Karthik Subramanian', department: 'Support' },
  { number: '7738291045', name: 'Sneha Patil', department: 'Support' },
  { number: '9910457823', name: 'Vikram Singh', department: 'Support' },
  { number: '6361829470', name: 'Divya Reddy', department: 'Billing' },
  { number: '8130927456', name: 'Imran Sheikh', department: 'Billing' },
]

/** Telecom circles as vendors report them in `state` / `caller_circle`. */
export const SIMULATED_CIRCLES: readonly string[] = [
  'Maharashtra',
  'Mumbai',
  'Karnataka',
  'Delhi',
  'Tamil Nadu',
  'Gujarat',
  'Kerala',
  'Uttar Pradesh (East)',
  'West Bengal',
  'Andhra Pradesh',
  'Rajasthan',
  'Kolkata',
]

/** The rented virtual number callers dial (`ibizfonenumber` / `knumber`), a Bengaluru line. */
export const SIMULATED_VIRTUAL_NUMBER = '08047181234'
