"""Labelled claim sentences for nearest-example claim finding (generated: do not edit ROWS).

Derived from the development gold sets ``tests/gold/reader_gold_v2.yaml`` and
``tests/gold/reader_gold_v3.yaml`` (hand labels of 75 real article openings): each row is a
claim quote with its mechanism (m1..m21 or ``other``) and the file it was labelled in.
Regenerate with ``python -m resetlab.reader.claim_examples tests/gold/reader_gold_v2.yaml
tests/gold/reader_gold_v3.yaml``; a test checks that ROWS equals what the gold files give.
The test set (v4) is never a source of rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROWS: tuple[tuple[str, str, str], ...] = (
    ('001.txt', 'm12', "has strengthened the world's confidence that common security can be attained"),
    ('004.txt', 'other', 'kept their eyes glued to politics at home'),
    ('005.txt', 'm9', 'hinting that it could jeopardize relations between the East and West'),
    ('005.txt', 'm9', 'Expanding NATO could create lines of division in Europe and shatter the hard-won mutual trust'),
    ('007.txt', 'm9', "it is Nato's determination to expand into central and eastern Europe that is likely to provoke the most emotional exchanges"),
    ('008.txt', 'm9', 'Russia: NATO strikes hurting relations with U.S.'),
    ('010.txt', 'm12', 'Rogozin said Russia would be left with little incentive to live up to disarmament commitments'),
    ('012.txt', 'm6', 'forged most recently in cooperation on the war against terrorism'),
    ('014.txt', 'm12', 'the agreement ends a long chapter of confrontation and opens up an entirely new relationship'),
    ('015.txt', 'm12', "is expected to set the seal on Russia's shift to a more pro-Western foreign policy"),
    ('016.txt', 'm15', 'the U.S.-led liberal order, a.k.a. the Free World, was of no interest or value to Russia'),
    ('017.txt', 'm9', "were particularly strained by Russia's military offensive in Georgia last August"),
    ('017.txt', 'm16', 'the relationship needs more trust, predictability, and progress'),
    ('019.txt', 'm19', 'demonstrated how the two countries can still talk past each other'),
    ('019.txt', 'm16', 'we need more trust, predictability and progress'),
    ('020.txt', 'm9', "with disputes ranging from a proposed U.S. missile shield to Moscow's invasion of Georgia"),
    ('022.txt', 'm9', "the tipping point was Moscow's decision last week to grant asylum"),
    ('022.txt', 'm9', 'designed to further undermine U.S.-Russia relations, which have already suffered from Russian intransigence'),
    ('023.txt', 'm15', 'State friendships are built upon common interests and shared ideals.'),
    ('023.txt', 'm15', 'Russia and America simply do not share interests and ideals'),
    ('023.txt', 'm18', "in his sustained patience he has played into Putin's hands"),
    ('027.txt', 'm18', "Obama's reset policy is partly to blame for what is unfolding in Ukraine"),
    ('027.txt', 'm18', 'That neglect is coming home to roost in the worst way possible'),
    ('028.txt', 'm18', 'the reset was never anything more than a series of capitulations'),
    ('028.txt', 'm18', 'the reset was never anything more than a series of one-sided capitulations to Russia'),
    ('029.txt', 'm18', 'The reset was premised on willful naïveté about Russia.'),
    ('029.txt', 'other', 'Obama thought that misunderstandings and ill will had undermined the U.S.–Russian relationship'),
    ('030.txt', 'm9', 'it said those were responses to other troubling Russian behavior'),
    ('031.txt', 'm9', "in retaliation for Russia's alleged interference"),
    ('035.txt', 'm14', 'There is no substitute for face-to-face dialogue between leaders, none.'),
    ('037.txt', 'm3', 'Both countries have been stuck into a vicious spiral of diplomatic, military, political, and economic confrontation.'),
    ('041.txt', 'm12', "is expected to set the seal on Russia's shift to a more pro-Western foreign policy"),
    ('042.txt', 'm12', 'the treaty "liquidates the Cold War legacy of nuclear hostility"'),
    ('044.txt', 'm9', 'The question of NATO expansion has been a sticking point between Washington and Moscow since 1994'),
    ('046.txt', 'm9', "following Moscow's decision to grant temporary asylum"),
    ('047.txt', 'm9', 'Russia has answered insult with injury'),
    ('047.txt', 'm14', 'they are tearing down foundations'),
    ('047.txt', 'm14', 'As these foundations crumble, so too will the everyday cooperation now taken for granted'),
    ('047.txt', 'other', 'Putin has done everything possible to deflect his domestic problems onto the American bogeyman'),
    ('048.txt', 'm15', 'We have more interests in common with Russia, by far, than we have differences.'),
    ('048.txt', 'other', 'We do not resolve the differences by refusing to discuss them.'),
    ('049.txt', 'm19', 'in their attempt to reset the U.S.-Russia relationship or improve it to some degree has persuaded many'),
    ('050.txt', 'other', 'This view fuels ever-harsher steps against Russia, blocking any effort to reduce tension.'),
    ('050.txt', 'm9', 'Washington refused to move on a detailed Russian plan for rapprochement because of deepening concerns'),
    ('053.txt', 'other', 'He said Russia would not sell a gas centrifuge to Iran, in response to U.S. concerns'),
    ('055.txt', 'm12', "Mr. Putin believes such a move would hinder Russia's nuclear deterrent"),
    ('055.txt', 'm12', 'European leaders warned Mr. Clinton last week that such a move could retrigger the nuclear arms race'),
    ('056.txt', 'm9', 'is also in response to the disproportionate presence of Russian spies in the United States'),
    ('056.txt', 'm9', 'Russia will regard the evictions as a "most unfriendly step"'),
    ('057.txt', 'm9', 'Eliciting an angry, tit-for-tat response from Moscow'),
    ('057.txt', 'm9', 'Ivanov said the move forced Russia to match the expulsions'),
    ('058.txt', 'm17', "The Bush administration's assurances of solidarity with a young democracy also may have given Georgia's silver-tongued"),
    ('061.txt', 'm9', 'U.S.-Russian relations suffered over the past years with differences ranging from human rights'),
    ('061.txt', 'other', 'The latest spy affair carried the potential to once again disrupt U.S.-Russian relations'),
    ('063.txt', 'm9', "The legislation is part of Russia's retaliation against a US law"),
    ('063.txt', 'other', 'Relations between Russia and the United States soured over the death of anti-corruption lawyer Sergei Magnitsky'),
    ('064.txt', 'other', 'This move by the Russian government undermines a longstanding record of law enforcement cooperation'),
    ('065.txt', 'other', 'any illusions he had left were shattered by the Russian invasion of Georgia in August 2008'),
    ('066.txt', 'other', 'Moscow visit offers a historic opportunity to avert a new Cold War by establishing a more stable and cooperative relationship'),
    ('066.txt', 'other', 'Competition over control of hydrocarbon resources was a defining feature of the Cold War and remains an important driver of contemporary geopolitics'),
    ('067.txt', 'm18', 'The Soviets then rewarded the United States for its more "constructive" stance by invading Afghanistan'),
    ('068.txt', 'm9', "in response to the U.S. Senate's approval of a new package of sanctions"),
    ('068.txt', 'm9', 'he ordered the move because he "thought it was the time to show'),
    ('070.txt', 'm8', 'The instincts of restraint and prudence that had been built up over decades of confrontation have atrophied'),
    ('070.txt', 'other', 'Moscow was ready for U.S.-Russia rapprochement a long time ago, but it was continuously and largely ignored'),
    ('071.txt', 'm21', 'Trump began the day blaming the US for the poor state of US-Russia relations'),
    ('073.txt', 'm17', 'the Kremlin halted them again, citing U.S. support for Ukraine'),
    ('073.txt', 'other', "justifying Putin's decision by blaming the United States for reneging on its responsibilities"),
    ('075.txt', 'm12', 'a move that nonproliferation experts warned could lead to a new arms race'),
    ('075.txt', 'm12', 'nuclear modernization could proceed unchecked, leading to heightened instability in the years ahead'),
)  # fmt: skip


def derive(*golds: Path) -> tuple[tuple[str, str, str], ...]:
    """(file, mechanism, quote) for every labelled claim of the gold files, in the order
    given and file order within each."""
    import yaml

    rows: list[tuple[str, str, str]] = []
    for gold in golds:
        doc = yaml.safe_load(gold.read_text(encoding="utf-8"))
        rows += [
            (str(a["file"]), str(c["mechanism"]), str(c["quote"]))
            for a in doc["articles"]
            for c in a.get("claims") or []
        ]
    return tuple(rows)


def render(rows: tuple[tuple[str, str, str], ...]) -> str:
    """This module's text with ``rows`` as ROWS."""
    src = Path(__file__).read_text(encoding="utf-8")
    head, _, rest = src.partition("ROWS: tuple[tuple[str, str, str], ...] = (")
    _, _, tail = rest.partition("\n)  # fmt: skip\n")
    body = "".join(f"    {r!r},\n" for r in rows)
    return head + "ROWS: tuple[tuple[str, str, str], ...] = (\n" + body + ")  # fmt: skip\n" + tail


if __name__ == "__main__":  # pragma: no cover
    Path(__file__).write_text(render(derive(*map(Path, sys.argv[1:]))), encoding="utf-8")
