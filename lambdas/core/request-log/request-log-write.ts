/** How a request's log write ended, as the request-log recorder reports it. */
export type RequestLogWrite =
  /** The item is in the table. */
  | 'stored'
  /** An item with this id already was there (a write retried after a lost answer, or a reused `Lookout-Request-Id`). */
  | 'already_stored'
  /** The item could not be written after every retry; the record went to the dead-letter queue (spool locally). */
  | 'dead_lettered'
  /** Neither the item nor the dead letter could be written: the record is only in the function's log. */
  | 'lost';
