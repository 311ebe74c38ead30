"""The live demo simulation: simulated customers, shops and couriers inside `allo demo`.

Pure parts (no database, no network, no wall clock; time and randomness come in as arguments):
  clock.py      demo time: a clock that runs `speed` times faster than the wall
  schedule.py   customer arrivals (a seeded Poisson stream) and fixed cadences
  movement.py   a courier's position along a street route at a given time
  phrases.py    how customers name the demo shops' items, in French and English
  messages.py   customer messages: orders, confirmations, status questions
  replies.py    what a customer answers to each kind of shop reply

Drivers (they act through the same services as real people, never around them):
  addresses.py  drop-off addresses from the shipped Monaco data
  customers.py  a customer writing to a shop through the web chat inbox
  shops.py      a shop marking orders ready after its preparation time
  couriers.py   a courier: shift, positions, offers, pickup, drop-off with the PIN
  world.py      all of them, stepped together; the background thread of `allo demo`
"""
