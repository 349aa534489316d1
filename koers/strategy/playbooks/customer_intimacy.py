"""The playbook for Customer intimacy: listening to customers and creating together."""

from __future__ import annotations

from decimal import Decimal

from koers.strategy.playbook_types import (
    AudienceProposal,
    ChannelProposal,
    KpiProposal,
    PillarProposal,
    Playbook,
    SocialGoalProposal,
    Text,
)
from koers.strategy.playbooks.units import COUNT, PERCENT

CUSTOMER_INTIMACY = Playbook(
    discipline="customer_intimacy",
    name=Text("Klantintimiteit", "Customer intimacy"),
    summary=Text(
        "Jullie organisatie wint klanten door ze beter te kennen dan wie ook en oplossingen op "
        "maat te bieden. Social media is dan een plek om te luisteren en samen te werken: "
        "meningen en wensen ophalen, ideeën met klanten uitwerken en een community opbouwen die "
        "zich gehoord voelt. Succes meet je aan wat je ophaalt, wat je ermee doet en hoe "
        "betrokken klanten blijven.",
        "Your organisation wins customers by knowing them better than anyone and offering "
        "tailored solutions. Social media is then a place to listen and work together: "
        "collecting opinions and wishes, developing ideas with customers and building a "
        "community that feels heard. You measure success by what you collect, what you do with "
        "it and how engaged customers stay.",
    ),
    social_goals=(
        SocialGoalProposal(
            key="ci_collect_feedback",
            title=Text("Meningen en wensen ophalen", "Collect opinions and wishes"),
            description=Text(
                "Jullie luisteren actief naar wat klanten vinden, vragen en missen, en laten ze "
                "weten wat er met hun inbreng gebeurt.",
                "You actively listen to what customers think, ask and miss, and let them know "
                "what happens with their input.",
            ),
            kpis=(
                KpiProposal(
                    key="ci_questions_and_ideas",
                    name=Text("Opgehaalde vragen en ideeën", "Questions and ideas collected"),
                    unit=COUNT,
                    direction="increase",
                    source="koers",
                    measure="listening.questions_and_ideas",
                    suggested_target=None,
                    why=Text(
                        "Elke vraag of elk idee van een klant is een kans om beter te begrijpen "
                        "wat die klant nodig heeft.",
                        "Every question or idea from a customer is a chance to understand better "
                        "what that customer needs.",
                    ),
                ),
                KpiProposal(
                    key="ci_feedback_followed_up",
                    name=Text(
                        "Ideeën en wensen met persoonlijke terugkoppeling",
                        "Ideas and wishes given personal follow-up",
                    ),
                    unit=PERCENT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=Decimal("90"),
                    why=Text(
                        "Klanten blijven alleen meedenken als ze merken dat er iets met hun "
                        "inbreng gebeurt.",
                        "Customers only keep contributing if they notice that something is done "
                        "with their input.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="ci_cocreate",
            title=Text("Samen met klanten verbeteren", "Improve together with customers"),
            description=Text(
                "Klanten denken mee over producten en diensten, en de beste ideeën worden ook "
                "echt uitgevoerd.",
                "Customers help shape products and services, and the best ideas are actually "
                "put into practice.",
            ),
            kpis=(
                KpiProposal(
                    key="ci_ideas_adopted",
                    name=Text("Overgenomen klantideeën", "Customer ideas adopted"),
                    unit=COUNT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Dit laat zien dat luisteren tot echte verbeteringen leidt, en het is de "
                        "basis om de waarde van co-creatie te berekenen.",
                        "This shows that listening leads to real improvements, and it is the "
                        "basis for calculating the value of co-creation.",
                    ),
                ),
                KpiProposal(
                    key="ci_cocreation_participants",
                    name=Text("Deelnemers aan co-creatie", "Co-creation participants"),
                    unit=COUNT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Klanten die meedoen aan panels, tests of ontwerpsessies vormen de kern "
                        "van een relatie waarin je samen oplossingen maakt.",
                        "Customers who take part in panels, tests or design sessions are the core "
                        "of a relationship in which you build solutions together.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="ci_community",
            title=Text("Een betrokken community", "An engaged community"),
            description=Text(
                "Klanten ontmoeten elkaar en jullie rond gedeelde interesses, stellen vragen en "
                "helpen elkaar, en blijven daardoor langer klant.",
                "Customers meet each other and you around shared interests, ask questions and "
                "help each other, and so stay customers for longer.",
            ),
            kpis=(
                KpiProposal(
                    key="ci_engagement_rate",
                    name=Text("Betrokkenheid bij posts", "Engagement on posts"),
                    unit=PERCENT,
                    direction="increase",
                    source="koers",
                    measure="publishing.engagement_rate",
                    suggested_target=None,
                    why=Text(
                        "Reacties, shares en opslagen per vertoning laten zien of de community "
                        "zich aangesproken voelt, niet alleen of ze meekijkt.",
                        "Comments, shares and saves per impression show whether the community "
                        "feels addressed, not just whether it is watching.",
                    ),
                ),
                KpiProposal(
                    key="ci_active_members",
                    name=Text("Actieve communityleden", "Active community members"),
                    unit=COUNT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Een community draait op klanten die zelf bijdragen: vragen van anderen "
                        "beantwoorden, ervaringen delen en ideeën aandragen.",
                        "A community runs on customers who contribute themselves: answering "
                        "others' questions, sharing experiences and suggesting ideas.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="ci_customers_feel_known",
            title=Text("Klanten voelen zich gekend", "Customers feel known"),
            description=Text(
                "Klanten ervaren persoonlijke aandacht en vertellen daar uit zichzelf over.",
                "Customers experience personal attention and talk about it of their own accord.",
            ),
            kpis=(
                KpiProposal(
                    key="ci_positive_share",
                    name=Text("Aandeel positieve vermeldingen", "Share of positive mentions"),
                    unit=PERCENT,
                    direction="increase",
                    source="koers",
                    measure="listening.positive_share",
                    suggested_target=None,
                    why=Text(
                        "Een warme relatie zie je terug in hoe klanten over jullie praten als "
                        "jullie er zelf niet bij zijn.",
                        "A warm relationship shows in how customers talk about you when you are "
                        "not in the room.",
                    ),
                ),
                KpiProposal(
                    key="ci_customer_stories",
                    name=Text("Gedeelde klantverhalen", "Customer stories shared"),
                    unit=COUNT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Klanten die hun verhaal met jullie willen delen, laten zien dat de "
                        "relatie verder gaat dan een transactie.",
                        "Customers who want to share their story with you show that the "
                        "relationship goes beyond a transaction.",
                    ),
                ),
            ),
        ),
    ),
    audiences=(
        AudienceProposal(
            name=Text("Vaste klanten", "Loyal customers"),
            description=Text(
                "Ze kennen jullie al lang, weten wat beter kan en voelen zich betrokken als je ze "
                "om hun mening vraagt.",
                "They have known you for a long time, know what could be better and feel "
                "involved when you ask for their opinion.",
            ),
        ),
        AudienceProposal(
            name=Text("Meedenkers", "Co-creators"),
            description=Text(
                "Klanten die uit zichzelf ideeën aandragen, jullie product intensief gebruiken en "
                "graag meedoen aan tests en panels.",
                "Customers who come up with ideas unprompted, use your product intensively and "
                "like to take part in tests and panels.",
            ),
        ),
        AudienceProposal(
            name=Text("Nieuwe klanten", "New customers"),
            description=Text(
                "In hun eerste maanden beslissen ze of ze blijven; persoonlijke aandacht en snelle "
                "hulp maken dan het verschil.",
                "In their first months they decide whether to stay; personal attention and quick "
                "help make the difference then.",
            ),
        ),
        AudienceProposal(
            name=Text("Collega's met klantcontact", "Colleagues who deal with customers"),
            description=Text(
                "Accountmanagers, binnendienst en receptie horen dagelijks wat klanten "
                "bezighoudt; hun signalen horen thuis in de strategie.",
                "Account managers, sales support and reception hear every day what is on "
                "customers' minds; their signals belong in the strategy.",
            ),
        ),
    ),
    channels=(
        ChannelProposal(
            platform="linkedin",
            purpose=Text(
                "Met zakelijke klanten in gesprek blijven, klantcases samen met de klant "
                "publiceren en deelnemers werven voor klantpanels.",
                "Stay in conversation with business customers, publish case studies together "
                "with the customer and recruit members for customer panels.",
            ),
        ),
        ChannelProposal(
            platform="facebook",
            purpose=Text(
                "Een besloten groep voor vaste klanten waarin je ideeën voorlegt, vragen stelt en "
                "klanten elkaar helpen.",
                "A private group for loyal customers where you try out ideas, ask questions and "
                "customers help each other.",
            ),
        ),
        ChannelProposal(
            platform="instagram",
            purpose=Text(
                "Laten zien hoe klanten jullie product gebruiken, en met polls en vragenstickers "
                "in stories snel meningen ophalen.",
                "Show how customers use your product, and collect opinions quickly with polls and "
                "question stickers in stories.",
            ),
        ),
        ChannelProposal(
            platform="whatsapp",
            purpose=Text(
                "Persoonlijk contact met klanten, plus korte peilingen en uitnodigingen voor een "
                "klantpanel.",
                "Personal contact with customers, plus short polls and invitations to a customer "
                "panel.",
            ),
        ),
        ChannelProposal(
            platform="website",
            purpose=Text(
                "Een ideeënpagina waarop klanten zien welke voorstellen in behandeling zijn en wat "
                "er al is uitgevoerd.",
                "An ideas page where customers see which suggestions are under review and which "
                "have already been implemented.",
            ),
        ),
    ),
    pillars=(
        PillarProposal(
            name=Text("Jullie vroegen, wij deden", "You asked, we did"),
            description=Text(
                "Laat zien welke ideeën en wensen van klanten zijn uitgevoerd, en bedank de klant "
                "die ermee kwam (met diens toestemming).",
                "Show which customer ideas and wishes have been implemented, and thank the "
                "customer who suggested them (with their permission).",
            ),
        ),
        PillarProposal(
            name=Text("Klanten aan het woord", "Customers in their own words"),
            description=Text(
                "Verhalen en ervaringen van klanten, door henzelf verteld: hoe zij jullie product "
                "of dienst gebruiken.",
                "Stories and experiences told by customers themselves: how they use your product "
                "or service.",
            ),
        ),
        PillarProposal(
            name=Text("Denk mee", "Have your say"),
            description=Text(
                "Vragen, polls en uitnodigingen voor panels of tests waarmee klanten echt mee "
                "kunnen beslissen.",
                "Questions, polls and invitations to panels or tests that give customers a real "
                "say in decisions.",
            ),
        ),
        PillarProposal(
            name=Text("Advies op maat", "Tailored advice"),
            description=Text(
                "Tips en kennis voor specifieke klantgroepen, zodat klanten merken dat je hun "
                "situatie begrijpt.",
                "Tips and know-how for specific customer groups, so customers notice that you "
                "understand their situation.",
            ),
        ),
        PillarProposal(
            name=Text("De mensen die je kent", "The people you deal with"),
            description=Text(
                "De accountmanagers, adviseurs en servicemedewerkers met wie klanten contact "
                "hebben, met naam en gezicht.",
                "The account managers, advisers and service staff customers deal with, with a "
                "name and a face.",
            ),
        ),
    ),
    webcare_role=Text(
        "Webcare is hier vooral een luisterpost. Snelheid telt, maar belangrijker is dat klanten "
        "zich gehoord voelen: antwoord persoonlijk, onder eigen naam, en met kennis van wat de "
        "klant eerder met jullie heeft besproken. Ideeën, wensen en terugkerende ergernissen "
        "legt webcare vast en stuurt ze door naar de collega's die er iets mee kunnen. Daarna "
        "laat webcare de klant weten wat er met de inbreng is gebeurd, ook als het antwoord nee "
        "is.",
        "Here webcare is above all a listening post. Speed matters, but it matters more that "
        "customers feel heard: reply personally, under your own name, and with knowledge of what "
        "the customer has discussed with you before. Webcare records ideas, wishes and recurring "
        "irritations and passes them on to the colleagues who can act on them. Afterwards "
        "webcare tells the customer what happened with their input, even when the answer is no.",
    ),
)
