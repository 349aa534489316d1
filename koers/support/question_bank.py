"""The draagvlak pulse-survey question bank: our own texts, Dutch and English.

Short questions in plain language for every employee, from receptionist to sales
manager, in the informal "je" form. Likert questions are statements to agree or
disagree with (1 = strongly disagree … 5 = strongly agree). The options of the
``discipline`` and ``top_goals`` questions are filled in when a wave is launched, from
the published strategy. Option values are stable: stored answers refer to them.
"""

from __future__ import annotations

from koers.strategy.playbook_types import Text
from koers.support.bank_types import BankQuestion, Option


def _options(*pairs: tuple[str, str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, Text(nl=nl, en=en)) for value, nl, en in pairs)


_YES_MAYBE_NO = _options(
    ("yes", "Ja", "Yes"),
    ("maybe", "Misschien", "Maybe"),
    ("no", "Nee", "No"),
)

BANK: tuple[BankQuestion, ...] = (
    # --- Understanding: does everyone know the strategy? -------------------------------
    BankQuestion(
        key="discipline",
        kind="discipline",
        component="understanding",
        text=Text(
            nl="Waar wil onze organisatie vooral de beste in zijn?",
            en="What is our organisation trying to be best at?",
        ),
        help_text=Text(
            nl="Kies wat volgens jou het beste past. Het gaat om jouw beeld, niet om een toets.",
            en="Pick what you think fits best. We want your view; this is not a test.",
        ),
        required=True,
    ),
    BankQuestion(
        key="top_goals",
        kind="top_goals",
        component="understanding",
        text=Text(
            nl=(
                "Welke doelen dient social media in onze organisatie? "
                "Kies de doelen waarvan jij denkt dat ze van ons zijn."
            ),
            en=(
                "Which goals does social media serve in our organisation? "
                "Pick the ones you think are ours."
            ),
        ),
        help_text=Text(
            nl="Kies alleen de doelen waarvan je vrij zeker bent.",
            en="Only pick the goals you are fairly sure of.",
        ),
        required=True,
    ),
    BankQuestion(
        key="strategy_known",
        kind="likert",
        component="understanding",
        text=Text(
            nl="Ik weet wat onze organisatie met social media wil bereiken.",
            en="I know what our organisation wants to achieve with social media.",
        ),
    ),
    BankQuestion(
        key="own_role_known",
        kind="likert",
        component="understanding",
        text=Text(
            nl="Ik weet wat ik zelf kan doen om onze organisatie op social media te helpen.",
            en="I know what I can do myself to help our organisation on social media.",
        ),
    ),
    BankQuestion(
        key="strategy_own_words",
        kind="text",
        component="understanding",
        text=Text(
            nl="Wat wil onze organisatie met social media bereiken? Zeg het in je eigen woorden.",
            en=(
                "What does our organisation want to achieve with social media? "
                "Put it in your own words."
            ),
        ),
        help_text=Text(
            nl="Een of twee zinnen is genoeg. Opzoeken is niet nodig.",
            en="One or two sentences is enough. No need to look it up.",
        ),
        standard=False,
    ),
    # --- Support: enthusiasm and belief -----------------------------------------------
    BankQuestion(
        key="enthusiastic",
        kind="likert",
        component="support",
        text=Text(
            nl="Ik word enthousiast van wat social media voor onze organisatie kan doen.",
            en="I am enthusiastic about what social media can do for our organisation.",
        ),
    ),
    BankQuestion(
        key="helps_business_goals",
        kind="likert",
        component="support",
        text=Text(
            nl="Social media helpt ons om onze bedrijfsdoelen te halen.",
            en="Social media helps us reach our business goals.",
        ),
    ),
    BankQuestion(
        key="worth_the_time",
        kind="likert",
        component="support",
        text=Text(
            nl="De tijd die we in social media steken, is het waard.",
            en="The time we put into social media is worth it.",
        ),
    ),
    BankQuestion(
        key="proud_to_share",
        kind="likert",
        component="support",
        text=Text(
            nl="Ik ben trots als ik nieuws van onze organisatie deel.",
            en="I am proud to share news from our organisation.",
        ),
    ),
    # --- Management example -------------------------------------------------------------
    BankQuestion(
        key="managers_take_part",
        kind="likert",
        component="example",
        text=Text(
            nl="Leidinggevenden op mijn afdeling doen zelf mee op social media.",
            en="Managers in my department take part on social media themselves.",
        ),
    ),
    BankQuestion(
        key="management_explains_why",
        kind="likert",
        component="example",
        text=Text(
            nl="Het management legt uit waarom social media belangrijk is voor ons.",
            en="Management explains why social media matters for us.",
        ),
    ),
    BankQuestion(
        key="manager_makes_time",
        kind="likert",
        component="example",
        text=Text(
            nl="Mijn leidinggevende maakt tijd voor me vrij om bij te dragen.",
            en="My manager makes time for me to contribute.",
        ),
    ),
    # --- Own social media use -------------------------------------------------------------
    BankQuestion(
        key="platforms_used",
        kind="multiple",
        component="use",
        text=Text(
            nl="Welke social media gebruik je, privé of voor je werk?",
            en="Which social media do you use, privately or for work?",
        ),
        help_text=Text(
            nl="Kies alles wat je gebruikt.",
            en="Pick everything you use.",
        ),
        options=_options(
            ("linkedin", "LinkedIn", "LinkedIn"),
            ("instagram", "Instagram", "Instagram"),
            ("facebook", "Facebook", "Facebook"),
            ("x", "X", "X"),
            ("mastodon", "Mastodon", "Mastodon"),
            ("bluesky", "Bluesky", "Bluesky"),
            ("tiktok", "TikTok", "TikTok"),
            ("youtube", "YouTube", "YouTube"),
            ("whatsapp", "WhatsApp", "WhatsApp"),
            ("none", "Geen", "None"),
        ),
    ),
    BankQuestion(
        key="use_frequency",
        kind="single",
        component="use",
        text=Text(
            nl="Hoe vaak ben je actief op social media?",
            en="How often are you active on social media?",
        ),
        options=_options(
            ("daily", "Dagelijks", "Daily"),
            ("weekly", "Wekelijks", "Weekly"),
            ("monthly", "Maandelijks", "Monthly"),
            ("rarely", "Zelden", "Rarely"),
            ("never", "Nooit", "Never"),
        ),
    ),
    BankQuestion(
        key="linkedin_up_to_date",
        kind="single",
        component="use",
        text=Text(
            nl="Is je LinkedIn-profiel actueel?",
            en="Is your LinkedIn profile up to date?",
        ),
        help_text=Text(
            nl="Bijvoorbeeld je functie, je werkgever en een foto.",
            en="For example your job title, your employer and a photo.",
        ),
        options=_options(
            ("yes", "Ja", "Yes"),
            ("no", "Nee", "No"),
            ("no_linkedin", "Ik heb geen LinkedIn", "I don't use LinkedIn"),
        ),
    ),
    # --- Willingness to contribute -------------------------------------------------------
    BankQuestion(
        key="share_ideas",
        kind="likert",
        component="contribution",
        text=Text(
            nl="Ik wil ideeën aandragen voor berichten van onze organisatie.",
            en="I am willing to suggest ideas for our organisation's posts.",
        ),
        help_text=Text(
            nl="Bijvoorbeeld een compliment van een klant of een mooi project.",
            en="For example a compliment from a customer or a project you are proud of.",
        ),
    ),
    BankQuestion(
        key="share_posts",
        kind="likert",
        component="contribution",
        text=Text(
            nl="Ik wil goedgekeurde berichten van onze organisatie delen in mijn eigen netwerk.",
            en="I am willing to share approved posts from our organisation with my own network.",
        ),
    ),
    BankQuestion(
        key="become_ambassador",
        kind="single",
        component="contribution",
        text=Text(
            nl="Wil je ambassadeur worden van onze organisatie op social media?",
            en="Would you like to become an ambassador for our organisation on social media?",
        ),
        help_text=Text(
            nl="Een ambassadeur deelt af en toe berichten en ideeën, en krijgt daar hulp bij.",
            en="An ambassador shares posts and ideas now and then, and gets help doing so.",
        ),
        options=_YES_MAYBE_NO,
    ),
    BankQuestion(
        key="what_helps_contribute",
        kind="multiple",
        component="contribution",
        text=Text(
            nl="Wat zou je helpen om bij te dragen?",
            en="What would help you contribute?",
        ),
        help_text=Text(
            nl="Kies alles wat voor jou geldt.",
            en="Pick everything that applies to you.",
        ),
        options=_options(
            ("training", "Een training", "Training"),
            ("time", "Tijd", "Time"),
            ("examples", "Voorbeelden", "Examples"),
            ("guidelines", "Duidelijke richtlijnen", "Clear guidelines"),
            ("nothing", "Niets, ik kan al aan de slag", "Nothing, I can get started"),
        ),
    ),
    # --- Other ---------------------------------------------------------------------------
    BankQuestion(
        key="what_should_change",
        kind="text",
        component="other",
        text=Text(
            nl="Wat moet er veranderen zodat social media beter voor ons werkt?",
            en="What should change so that social media works better for us?",
        ),
        help_text=Text(
            nl="Alles mag: een klein idee of een grote wens.",
            en="Anything goes: a small idea or a big wish.",
        ),
    ),
)

_BY_KEY: dict[str, BankQuestion] = {question.key: question for question in BANK}


def get_question(key: str) -> BankQuestion:
    """The bank question with this key; KeyError naming the key when there is none."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no question {key!r} in the question bank") from None


def standard_questions() -> list[BankQuestion]:
    """The questions that are in every new wave unless removed, in bank order."""
    return [question for question in BANK if question.standard]
