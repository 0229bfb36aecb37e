"""Built-in article texts with known answers for the wire-copy detector.

``WIRE`` is an agency report; ``WIRE_PLUS`` is the same text reprinted with a
paragraph of the reprinting site's own; ``OWN_REPORT`` is another outlet's own
report of the same event (same facts, names and one shared quote, its own
words), which must not count as a copy.
"""

WIRE = """HELSINKI (Newswire) - Finland and Lithuania plan to start producing anti-personnel land mines, their defence ministries said on Tuesday, weeks after both countries announced they would leave the international treaty that bans the weapons.

The two countries, which share borders with Russia, said the mines would be stockpiled for national defence and would not be exported. Lithuania's defence minister said production could begin next year at a state-owned plant, while Finland is expected to place its first orders with a domestic manufacturer.

"We have to be ready for every scenario on our eastern border," the Lithuanian minister told reporters in Vilnius. "Mines are a cheap and effective way to slow down an attacking force."

Human rights groups criticised the decision, saying land mines kill and maim civilians long after wars end. The Ottawa Convention, signed in 1997, has been joined by more than 160 countries. Russia and the United States are not parties to the treaty.

Poland, Latvia and Estonia have also said they intend to withdraw from the convention, citing the threat from Russia since its full-scale invasion of Ukraine in 2022."""

WIRE_PLUS = WIRE + """

Local officials in the border town of Imatra said residents had mixed feelings about the plan. Some welcomed any measure that strengthened the frontier, while others worried about farmland and forests near the border being closed off for years."""

OWN_REPORT = """Lithuania and Finland will manufacture their own anti-personnel mines, the governments of the two Nordic and Baltic neighbours confirmed on Tuesday, in a sharp break with a quarter century of disarmament policy.

Speaking in Vilnius, the Lithuanian defence minister defended the move. "Mines are a cheap and effective way to slow down an attacking force," he said, adding that the first batches could leave a factory in central Lithuania within twelve months.

Helsinki was more guarded. A Finnish ministry spokeswoman declined to name a supplier and said only that a domestic producer was being considered, and that no mines would be laid in peacetime.

Campaigners who won the Nobel Peace Prize for the ban called the announcement a dangerous precedent. Since the treaty came into force, they say, the number of people killed by mines every year has fallen by more than two thirds, although casualties have risen again in Ukraine, Myanmar and Syria.

Both countries gave formal notice of their withdrawal from the treaty earlier this year; the exit takes effect six months after notice is given."""
