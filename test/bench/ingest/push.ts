/** The path of one benchmark push: the document's sample parameters with a fresh call id. */
export function pushPath(token: string, id: string): string {
  return (
    `/api/PostCallLogs/${token}/?calllogid=${id}&callernumber=9876543210` +
    `&date=2026-11-27&time=10:15:00&agentnumber=9123456780&ivrduration=12` +
    `&callduration=00:04:53&callstatus=ANSWER&state=Karnataka&ibizfonenumber=08041234567` +
    `&recordingurl=https%3A%2F%2Frec.example.com%2F${id}.mp3&department=Sales`
  )
}
