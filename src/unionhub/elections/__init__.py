"""Elections and votes at a congress (issue #20): candidate lists, strike-out ballots counted by
their rules, paper ballots entered twice, secret electronic ballots, show-of-hands resolutions.

Built on congress (its delegates, sessions, check-ins and card tokens), read through its
selectors only.

Design note: the secrecy of an electronic ballot
-------------------------------------------------
A ballot is secret when nobody, including whoever reads the whole database, can tell how a
delegate voted. We separate *eligibility* from the *ballot* rather than use a blind signature:
the delegate's phone is already authenticated by the signed card token, and the threat we guard
against is a database reader, not a voter hiding from the server at the moment of voting.

- `VoteCast` (round, delegate) says only "this delegate has voted in this round". Its
  uniqueness constraint makes a second vote (a second phone at the same moment, a re-issued
  card, which names the same delegate) fail inside the database, not in a racy Python check.
- `ElectronicBallot` (round, kept names, hash of a receipt) holds no delegate, no user, no
  timestamp (the round's opening and closing are the finest time it has), and a random UUID as
  its key, so sorting by key says nothing about the order of voting.
- Both rows are written in one transaction: a vote is counted exactly when the delegate is
  marked as having voted.
- Physical row order (SQLite rowid, PostgreSQL heap order) still follows insertion order while a
  round is open, and both tables are inserted in the same order. Closing the round therefore
  rewrites both tables' rows for the round in the order of their random keys, so after the
  close neither the keys nor the storage order relate a ballot to a cast. Someone who copies
  the raw database files or the write-ahead log *during* voting could still correlate; that is
  the residual risk an operator must guard against with ordinary access control, and the reason
  no audit row is written per electronic vote (its timestamp would be such a clue).
- The voter gets a random receipt code; only its SHA-256 is stored on the ballot. With the code
  the voter checks that a ballot with that receipt was counted. The page does not show the
  ballot's contents, so the receipt cannot prove to a third party how one voted.
"""
