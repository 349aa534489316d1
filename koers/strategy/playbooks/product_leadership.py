"""The playbook for Product leadership: a stage for launches and expertise."""

from __future__ import annotations

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

PRODUCT_LEADERSHIP = Playbook(
    discipline="product_leadership",
    name=Text("Productleiderschap", "Product leadership"),
    summary=Text(
        "Jullie organisatie wint klanten met de beste en meest vernieuwende producten of "
        "diensten in de markt. Social media is dan een podium: laten zien wat nieuw is, "
        "lanceringen laten rondgaan en jullie mensen neerzetten als de experts die de branche "
        "vooruit helpen. Succes meet je aan bereik, aandeel in het gesprek ten opzichte van "
        "concurrenten en het beeld dat mensen van jullie hebben.",
        "Your organisation wins customers with the best and most innovative products or services "
        "in the market. Social media is then a stage: showing what is new, getting launches "
        "talked about and positioning your people as the experts who move the industry forward. "
        "You measure success by reach, share of the conversation against competitors and how "
        "people see you.",
    ),
    social_goals=(
        SocialGoalProposal(
            key="pl_launch_buzz",
            title=Text("Lanceringen die rondgaan", "Launches that get people talking"),
            description=Text(
                "Nieuwe producten en diensten krijgen bij de lancering zoveel aandacht dat de "
                "doelgroep er niet omheen kan.",
                "New products and services get so much attention at launch that the target "
                "audience cannot miss them.",
            ),
            kpis=(
                KpiProposal(
                    key="pl_launch_mentions",
                    name=Text("Vermeldingen rond een lancering", "Mentions around a launch"),
                    unit=COUNT,
                    direction="increase",
                    source="koers",
                    measure="listening.mentions",
                    suggested_target=None,
                    why=Text(
                        "Het aantal vermeldingen in de weken rond een lancering laat zien of een "
                        "nieuw product gespreksonderwerp wordt.",
                        "The number of mentions in the weeks around a launch shows whether a new "
                        "product becomes a talking point.",
                    ),
                ),
                KpiProposal(
                    key="pl_reach",
                    name=Text("Bereik van eigen posts", "Reach of own posts"),
                    unit=COUNT,
                    direction="increase",
                    source="koers",
                    measure="publishing.reach",
                    suggested_target=None,
                    why=Text(
                        "Wie de markt wil leiden, moet eerst gezien worden door de mensen die "
                        "nieuwe producten als eerste oppikken.",
                        "To lead the market you first have to be seen by the people who pick up "
                        "new products first.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="pl_lead_conversation",
            title=Text("Het gesprek in de markt leiden", "Lead the conversation in the market"),
            description=Text(
                "Als het in de branche over vernieuwing gaat, gaat het over jullie, vaker dan over "
                "de concurrenten die je benoemt.",
                "When the industry talks about innovation, it talks about you, more often than "
                "about the competitors you name.",
            ),
            kpis=(
                KpiProposal(
                    key="pl_share_of_voice",
                    name=Text(
                        "Share of voice ten opzichte van concurrenten",
                        "Share of voice against competitors",
                    ),
                    unit=PERCENT,
                    direction="increase",
                    source="koers",
                    measure="listening.share_of_voice",
                    suggested_target=None,
                    why=Text(
                        "Jullie aandeel in het gesprek, afgezet tegen de concurrenten die je "
                        "benoemt, laat zien wie de markt als toonaangevend ziet.",
                        "Your share of the conversation, set against the competitors you name, "
                        "shows whom the market regards as the leader.",
                    ),
                ),
                KpiProposal(
                    key="pl_trade_media_coverage",
                    name=Text("Aandacht in vakmedia", "Coverage in trade media"),
                    unit=COUNT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Aandacht van journalisten, analisten en opiniemakers is onafhankelijk "
                        "bewijs dat jullie voorop lopen.",
                        "Attention from journalists, analysts and opinion leaders is independent "
                        "proof that you are ahead.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="pl_image",
            title=Text("Gezien worden als de beste", "Be seen as the best"),
            description=Text(
                "Klanten, vakgenoten en pers verbinden jullie naam met kwaliteit, vernieuwing en "
                "vakmanschap.",
                "Customers, peers and the press associate your name with quality, innovation and "
                "craftsmanship.",
            ),
            kpis=(
                KpiProposal(
                    key="pl_positive_share",
                    name=Text("Aandeel positieve vermeldingen", "Share of positive mentions"),
                    unit=PERCENT,
                    direction="increase",
                    source="koers",
                    measure="listening.positive_share",
                    suggested_target=None,
                    why=Text(
                        "Als de beste gezien worden vraagt om mensen die enthousiast zijn over wat "
                        "jullie maken en dat ook hardop zeggen.",
                        "Being seen as the best takes people who are enthusiastic about what you "
                        "make and say so out loud.",
                    ),
                ),
                KpiProposal(
                    key="pl_negative_share",
                    name=Text("Aandeel negatieve vermeldingen", "Share of negative mentions"),
                    unit=PERCENT,
                    direction="decrease",
                    source="koers",
                    measure="listening.negative_share",
                    suggested_target=None,
                    why=Text(
                        "Een vernieuwer wordt kritisch gevolgd, en meer negatieve vermeldingen "
                        "kunnen wijzen op kwaliteitsproblemen die het imago snel schaden.",
                        "An innovator is watched critically, and more negative mentions can point "
                        "to quality problems that quickly damage the image.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="pl_thought_leadership",
            title=Text("Experts met een gezicht", "Experts people know by name"),
            description=Text(
                "Jullie specialisten delen hun kennis en visie, zodat de voorsprong niet alleen "
                "in het product zit maar ook in de mensen erachter.",
                "Your specialists share their knowledge and vision, so the lead lies not only in "
                "the product but also in the people behind it.",
            ),
            kpis=(
                KpiProposal(
                    key="pl_ambassadors",
                    name=Text("Actieve ambassadeurs", "Active ambassadors"),
                    unit=COUNT,
                    direction="increase",
                    source="koers",
                    measure="support.ambassadors",
                    suggested_target=None,
                    why=Text(
                        "Medewerkers die kennis en nieuws delen, geven de vernieuwing een gezicht "
                        "en bereiken netwerken die het bedrijfsaccount niet bereikt.",
                        "Employees who share knowledge and news give the innovation a face and "
                        "reach networks the company account does not.",
                    ),
                ),
                KpiProposal(
                    key="pl_employee_ideas_published",
                    name=Text("Gepubliceerde ideeën van medewerkers", "Employee ideas published"),
                    unit=COUNT,
                    direction="increase",
                    source="koers",
                    measure="content.ideas_published",
                    suggested_target=None,
                    why=Text(
                        "De vakkennis van ontwikkelaars, ontwerpers en specialisten is het "
                        "sterkste bewijs van leiderschap, en dit telt hoeveel ervan echt naar "
                        "buiten gaat.",
                        "The expertise of developers, designers and specialists is the strongest "
                        "proof of leadership, and this counts how much of it actually goes out.",
                    ),
                ),
                KpiProposal(
                    key="pl_speaker_invitations",
                    name=Text(
                        "Uitnodigingen als spreker of expert", "Invitations as speaker or expert"
                    ),
                    unit=COUNT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Uitnodigingen voor congressen, podcasts en panels laten zien dat de markt "
                        "jullie mensen als autoriteit ziet.",
                        "Invitations to conferences, podcasts and panels show that the market "
                        "sees your people as an authority.",
                    ),
                ),
            ),
        ),
    ),
    audiences=(
        AudienceProposal(
            name=Text("Vroege gebruikers", "Early adopters"),
            description=Text(
                "Ze willen als eerste weten wat er nieuw is, proberen het meteen uit en vertellen "
                "het door.",
                "They want to be the first to know what is new, try it out right away and pass "
                "the word on.",
            ),
        ),
        AudienceProposal(
            name=Text(
                "Vakpers, analisten en opiniemakers", "Trade press, analysts and opinion leaders"
            ),
            description=Text(
                "Hun oordeel bepaalt mede wie in de markt als toonaangevend geldt.",
                "Their judgement helps decide who counts as the leader in the market.",
            ),
        ),
        AudienceProposal(
            name=Text(
                "Beslissers die leveranciers vergelijken", "Decision-makers comparing suppliers"
            ),
            description=Text(
                "Ze zoeken bewijs dat jullie product het beste is: demo's, resultaten en de visie "
                "van jullie experts.",
                "They look for proof that your product is the best: demos, results and the "
                "vision of your experts.",
            ),
        ),
        AudienceProposal(
            name=Text("Toptalent", "Top talent"),
            description=Text(
                "Specialisten die aan het nieuwste willen werken en kiezen voor een organisatie "
                "die voorop loopt.",
                "Specialists who want to work on the newest things and choose an organisation "
                "that leads the way.",
            ),
        ),
    ),
    channels=(
        ChannelProposal(
            platform="linkedin",
            purpose=Text(
                "Jullie experts delen visie, onderzoek en lanceringen met beslissers en "
                "vakgenoten.",
                "Your experts share vision, research and launches with decision-makers and peers.",
            ),
        ),
        ChannelProposal(
            platform="instagram",
            purpose=Text(
                "Het product in beeld: ontwerp, details en gebruik, met teasers in de aanloop "
                "naar een lancering.",
                "The product in pictures: design, details and use, with teasers in the run-up to "
                "a launch.",
            ),
        ),
        ChannelProposal(
            platform="youtube",
            purpose=Text(
                "Demo's, lanceringsvideo's en verdiepende uitleg die mensen opzoeken als ze "
                "producten vergelijken.",
                "Demos, launch videos and in-depth explainers that people look up when they "
                "compare products.",
            ),
        ),
        ChannelProposal(
            platform="tiktok",
            purpose=Text(
                "Korte, verrassende video's die een nieuw product laten rondgaan bij een jong en "
                "breed publiek.",
                "Short, surprising videos that spread a new product among a young, broad audience.",
            ),
        ),
        ChannelProposal(
            platform="bluesky",
            purpose=Text(
                "Snel in gesprek met journalisten, vakgenoten en technologieliefhebbers die hier "
                "nieuwe ontwikkelingen volgen.",
                "Quick conversations with journalists, peers and technology enthusiasts who "
                "follow new developments here.",
            ),
        ),
    ),
    pillars=(
        PillarProposal(
            name=Text("Als eerste gezien", "First look"),
            description=Text(
                "Previews, teasers en lanceringen: nieuwe producten en functies, eerst te zien "
                "voor jullie volgers.",
                "Previews, teasers and launches: new products and features, shown to your "
                "followers first.",
            ),
        ),
        PillarProposal(
            name=Text("Visie op de markt", "Where the market is heading"),
            description=Text(
                "Jullie experts over trends, onderzoek en de toekomst van de branche, met een "
                "duidelijke eigen mening.",
                "Your experts on trends, research and the future of the industry, with a clear "
                "point of view of their own.",
            ),
        ),
        PillarProposal(
            name=Text("Zo is het gemaakt", "How it's made"),
            description=Text(
                "Achter de schermen bij ontwikkeling en ontwerp: de keuzes, de tests en de mensen "
                "die het product maken.",
                "Behind the scenes of development and design: the choices, the tests and the "
                "people who make the product.",
            ),
        ),
        PillarProposal(
            name=Text("Het bewijs", "The proof"),
            description=Text(
                "Prijzen, testresultaten en resultaten bij klanten, eerlijk en controleerbaar; "
                "vergelijk met concurrenten alleen op feiten die je kunt onderbouwen.",
                "Awards, test results and customer results, honest and verifiable; compare "
                "yourself with competitors only on facts you can back up.",
            ),
        ),
    ),
    webcare_role=Text(
        "Webcare beschermt en versterkt het beeld van jullie als de beste in de markt. "
        "Productvragen krijgen een deskundig antwoord, zo nodig met hulp van een "
        "productspecialist, want een vaag antwoord ondermijnt de claim dat jullie voorop lopen. "
        "Rond een lancering is webcare extra bezet om de piek aan vragen en reacties op te "
        "vangen. Webcare meldt kwaliteitsproblemen direct aan het productteam, voordat ze het "
        "imago raken, en wijst enthousiaste gebruikers aan die ambassadeur kunnen worden of in "
        "een klantverhaal passen.",
        "Webcare protects and strengthens your image as the best in the market. Product "
        "questions get an expert answer, with help from a product specialist where needed, "
        "because a vague reply undermines the claim that you lead. Around a launch webcare is "
        "staffed more heavily to absorb the peak in questions and reactions. Webcare reports "
        "quality problems to the product team at once, before they damage the image, and points "
        "out enthusiastic users who could become ambassadors or feature in a customer story.",
    ),
)
