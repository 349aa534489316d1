"""The playbook for Operational excellence: social media as a service channel with hard savings."""

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
from koers.strategy.playbooks.units import COUNT, EURO, MINUTES, PERCENT

OPERATIONAL_EXCELLENCE = Playbook(
    discipline="operational_excellence",
    name=Text("Operationele excellentie", "Operational excellence"),
    summary=Text(
        "Jullie organisatie wint klanten met betrouwbare, snelle en efficiënte dienstverlening "
        "tegen scherpe kosten. Social media is dan in de eerste plaats een servicekanaal: klanten "
        "krijgen snel antwoord, veelgestelde vragen zijn vooraf beantwoord en een contact via "
        "social kost minder dan via telefoon of e-mail. Succes meet je in reactietijd, kosten per "
        "contact en minder druk op de andere kanalen.",
        "Your organisation wins customers with reliable, fast and efficient service at a sharp "
        "price. Social media is then first and foremost a service channel: customers get a quick "
        "answer, common questions are answered in advance, and a contact via social costs less "
        "than one by phone or e-mail. You measure success in response time, cost per contact and "
        "less pressure on the other channels.",
    ),
    social_goals=(
        SocialGoalProposal(
            key="oe_webcare_service",
            title=Text("Snelle en betrouwbare webcare", "Fast and reliable webcare"),
            description=Text(
                "Klanten die via social media een vraag stellen of klagen, krijgen snel een "
                "antwoord dat hun probleem in één keer oplost.",
                "Customers who ask a question or complain on social media quickly get an answer "
                "that solves their problem in one go.",
            ),
            kpis=(
                KpiProposal(
                    key="oe_first_response",
                    name=Text("Eerste reactietijd", "First response time"),
                    unit=MINUTES,
                    direction="decrease",
                    source="koers",
                    measure="webcare.first_response_minutes",
                    suggested_target=Decimal("60"),
                    why=Text(
                        "Veel Nederlandse organisaties streven naar een eerste reactie binnen een "
                        "uur tijdens openingstijden, en wie efficiëntie belooft, moet die snelheid "
                        "waarmaken.",
                        "Many Dutch organisations aim for a first reply within an hour during "
                        "opening hours, and an organisation that promises efficiency has to live "
                        "up to that speed.",
                    ),
                ),
                KpiProposal(
                    key="oe_answered_within_target",
                    name=Text("Binnen de norm beantwoord", "Answered within target"),
                    unit=PERCENT,
                    direction="increase",
                    source="koers",
                    measure="webcare.handled_within_sla_share",
                    suggested_target=Decimal("90"),
                    why=Text(
                        "Een gemiddelde kan goed lijken terwijl een deel van de klanten lang "
                        "wacht; dit aandeel laat zien of jullie de belofte aan iedereen nakomen.",
                        "An average can look fine while some customers wait a long time; this "
                        "share shows whether you keep the promise to everyone.",
                    ),
                ),
                KpiProposal(
                    key="oe_resolved_first_contact",
                    name=Text("In één contact opgelost", "Resolved in one contact"),
                    unit=PERCENT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=Decimal("75"),
                    why=Text(
                        "Elk extra contact over dezelfde vraag kost geld en ergert de klant, dus "
                        "een snel antwoord telt pas echt als het de vraag ook oplost.",
                        "Every extra contact about the same question costs money and annoys the "
                        "customer, so a fast answer only really counts when it also solves the "
                        "question.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="oe_lower_contact_cost",
            title=Text("Goedkoper klantcontact", "Lower cost of customer contact"),
            description=Text(
                "Vragen die via social media binnenkomen, worden efficiënter afgehandeld dan via "
                "telefoon en e-mail, en dat verschil is in euro's aan te tonen.",
                "Questions that come in through social media are handled more efficiently than "
                "by phone and e-mail, and the difference can be shown in euros.",
            ),
            kpis=(
                KpiProposal(
                    key="oe_cost_per_contact",
                    name=Text("Kosten per webcarecontact", "Cost per webcare contact"),
                    unit=EURO,
                    direction="decrease",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Hiermee vergelijk je webcare met telefoon en e-mail en onderbouw je de "
                        "businesscase met harde cijfers.",
                        "This lets you compare webcare with phone and e-mail and back the "
                        "business case with hard figures.",
                    ),
                ),
                KpiProposal(
                    key="oe_phone_email_deflection",
                    name=Text(
                        "Minder vragen via telefoon en e-mail",
                        "Fewer questions by phone and e-mail",
                    ),
                    unit=PERCENT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "De daling ten opzichte van een nulmeting laat zien hoeveel contact social "
                        "media weghaalt bij de duurdere kanalen.",
                        "The drop against a baseline measurement shows how much contact social "
                        "media takes away from the more expensive channels.",
                    ),
                ),
                KpiProposal(
                    key="oe_webcare_contacts",
                    name=Text("Afgehandelde webcarecontacten", "Webcare contacts handled"),
                    unit=COUNT,
                    direction="increase",
                    source="koers",
                    measure="webcare.contacts",
                    suggested_target=None,
                    why=Text(
                        "Zolang een webcarecontact goedkoper is, levert elk contact dat via social "
                        "loopt in plaats van via de telefoon een besparing op.",
                        "As long as a webcare contact is cheaper, every contact handled through "
                        "social instead of by phone saves money.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="oe_self_service",
            title=Text("Klanten helpen zichzelf", "Customers help themselves"),
            description=Text(
                "Heldere uitleg, stappenplannen en video's beantwoorden veelgestelde vragen "
                "voordat iemand contact hoeft op te nemen.",
                "Clear explanations, step-by-step guides and videos answer common questions "
                "before anyone needs to get in touch.",
            ),
            kpis=(
                KpiProposal(
                    key="oe_self_service_visits",
                    name=Text("Gebruik van selfservicecontent", "Use of self-service content"),
                    unit=COUNT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Bezoeken aan hulppagina's en uitlegvideo's vanuit social media laten zien "
                        "of klanten hun vraag zelf oplossen in plaats van contact op te nemen.",
                        "Visits from social media to help pages and explainer videos show whether "
                        "customers solve their question themselves instead of getting in touch.",
                    ),
                ),
                KpiProposal(
                    key="oe_questions_already_answered",
                    name=Text(
                        "Vragen waarop de hulppagina's al antwoord geven",
                        "Questions the help pages already answer",
                    ),
                    unit=PERCENT,
                    direction="decrease",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Blijft dit aandeel hoog, dan is de selfservicecontent niet goed vindbaar "
                        "of niet duidelijk genoeg.",
                        "If this share stays high, the self-service content is hard to find or "
                        "not clear enough.",
                    ),
                ),
            ),
        ),
        SocialGoalProposal(
            key="oe_ahead_of_problems",
            title=Text("Problemen voor zijn", "Stay ahead of problems"),
            description=Text(
                "Jullie melden storingen en wijzigingen zelf als eerste en zien klachten aankomen "
                "voordat ze zich opstapelen.",
                "You are the first to announce outages and changes, and you see complaints "
                "coming before they pile up.",
            ),
            kpis=(
                KpiProposal(
                    key="oe_negative_share",
                    name=Text("Aandeel negatieve vermeldingen", "Share of negative mentions"),
                    unit=PERCENT,
                    direction="decrease",
                    source="koers",
                    measure="listening.negative_share",
                    suggested_target=None,
                    why=Text(
                        "Klachten over vertraging, fouten of slechte bereikbaarheid raken precies "
                        "de belofte van een organisatie die op betrouwbaarheid concurreert.",
                        "Complaints about delays, mistakes or poor availability hit exactly the "
                        "promise of an organisation that competes on reliability.",
                    ),
                ),
                KpiProposal(
                    key="oe_disruptions_announced_first",
                    name=Text(
                        "Storingen die jullie zelf als eerste melden",
                        "Outages you announce first",
                    ),
                    unit=PERCENT,
                    direction="increase",
                    source="manual",
                    measure=None,
                    suggested_target=None,
                    why=Text(
                        "Wie een storing meldt voordat klanten erover beginnen, voorkomt een golf "
                        "aan vragen en klachten.",
                        "Announcing an outage before customers bring it up prevents a wave of "
                        "questions and complaints.",
                    ),
                ),
            ),
        ),
    ),
    audiences=(
        AudienceProposal(
            name=Text("Klanten met een vraag of probleem", "Customers with a question or problem"),
            description=Text(
                "Ze willen snel en zonder gedoe geholpen worden, het liefst via het kanaal waar ze "
                "toch al zitten.",
                "They want quick help without any fuss, preferably on the channel they already "
                "use.",
            ),
        ),
        AudienceProposal(
            name=Text("Klanten die het zelf willen regelen", "Customers who prefer self-service"),
            description=Text(
                "Ze zoeken liever zelf een antwoord dan dat ze bellen, als de uitleg maar "
                "makkelijk te vinden en te volgen is.",
                "They would rather look up an answer than call, as long as the explanation is "
                "easy to find and follow.",
            ),
        ),
        AudienceProposal(
            name=Text(
                "Klanten die openlijk klagen, en hun volgers",
                "Customers who complain in public, and their followers",
            ),
            description=Text(
                "Hoe jullie zo'n klacht oppakken, zien veel meer mensen dan alleen de klager; een "
                "goede afhandeling is zichtbare reclame voor jullie service.",
                "Far more people than the complainant see how you handle such a complaint; "
                "handling it well is visible advertising for your service.",
            ),
        ),
        AudienceProposal(
            name=Text(
                "Collega's van klantenservice en operatie",
                "Colleagues in customer service and operations",
            ),
            description=Text(
                "Zij leveren de antwoorden en lossen de problemen op, dus ze moeten weten welke "
                "vragen via social binnenkomen en welke verbeteringen dat oplevert.",
                "They supply the answers and fix the problems, so they need to know which "
                "questions come in through social and which improvements that leads to.",
            ),
        ),
    ),
    channels=(
        ChannelProposal(
            platform="whatsapp",
            purpose=Text(
                "Serviceverzoeken waarvoor persoonsgegevens nodig zijn één-op-één afhandelen, "
                "buiten het openbare gesprek.",
                "Handle service requests that need personal details one-to-one, away from the "
                "public conversation.",
            ),
        ),
        ChannelProposal(
            platform="facebook",
            purpose=Text(
                "Openbare vragen en klachten snel beantwoorden; veel consumenten zoeken hier nog "
                "altijd de klantenservice.",
                "Answer public questions and complaints quickly; many consumers still look for "
                "customer service here.",
            ),
        ),
        ChannelProposal(
            platform="x",
            purpose=Text(
                "Storingen, vertragingen en wijzigingen direct melden, zodat klanten niet hoeven "
                "te bellen om te vragen wat er aan de hand is.",
                "Announce outages, delays and changes straight away, so customers don't have to "
                "call to find out what is going on.",
            ),
        ),
        ChannelProposal(
            platform="youtube",
            purpose=Text(
                "Korte uitlegvideo's die een veelgestelde vraag in één keer beantwoorden en waar "
                "webcare naar kan verwijzen.",
                "Short explainer videos that settle a common question in one go and that webcare "
                "can link to.",
            ),
        ),
        ChannelProposal(
            platform="website",
            purpose=Text(
                "De vaste plek voor hulppagina's en actuele storingsinformatie; posts en "
                "webcareantwoorden verwijzen hiernaar.",
                "The home of help pages and current service status; posts and webcare replies "
                "link here.",
            ),
        ),
    ),
    pillars=(
        PillarProposal(
            name=Text("Zo regel je het zelf", "How to sort it yourself"),
            description=Text(
                "Stappenplannen, korte video's en antwoorden op de vragen die het vaakst "
                "binnenkomen, gekozen op basis van wat webcare ziet.",
                "Step-by-step guides, short videos and answers to the questions that come in "
                "most often, chosen from what webcare sees.",
            ),
        ),
        PillarProposal(
            name=Text("Actuele service-informatie", "Service updates"),
            description=Text(
                "Storingen, aangepaste openingstijden en wijzigingen, gemeld voordat klanten "
                "erom vragen en met een update zodra het is opgelost.",
                "Outages, changed opening hours and other changes, announced before customers "
                "ask and followed by an update once resolved.",
            ),
        ),
        PillarProposal(
            name=Text("Verbeteringen die je merkt", "Improvements customers notice"),
            description=Text(
                "Wat jullie hebben veranderd naar aanleiding van klachten of vragen, met cijfers: "
                "kortere wachttijden, minder stappen, sneller geleverd.",
                "What you changed in response to complaints or questions, with figures: shorter "
                "waiting times, fewer steps, faster delivery.",
            ),
        ),
        PillarProposal(
            name=Text("Het team achter de service", "The team behind the service"),
            description=Text(
                "De mensen van klantenservice, logistiek en webcare, en hoe zij het elke dag goed "
                "en efficiënt regelen.",
                "The people in customer service, logistics and webcare, and how they get things "
                "right, efficiently, every day.",
            ),
        ),
    ),
    webcare_role=Text(
        "Webcare is in deze discipline de kern van jullie social media. Het team beantwoordt "
        "vragen en klachten binnen de afgesproken reactietijd, lost ze het liefst in één contact "
        "op en haalt persoonsgegevens naar een besloten kanaal. Standaardantwoorden en "
        "verwijzingen naar hulppagina's houden het snel en consistent, en elke vraag die steeds "
        "terugkomt is een signaal om de selfservicecontent of het proces te verbeteren. Webcare "
        "registreert contacten en kosten, zodat jullie de besparing ten opzichte van telefoon en "
        "e-mail kunnen aantonen.",
        "In this discipline webcare is the core of your social media. The team answers questions "
        "and complaints within the agreed response time, preferably resolves them in a single "
        "contact, and moves personal details to a private channel. Reply templates and links to "
        "help pages keep answers fast and consistent, and every question that keeps coming back "
        "is a signal to improve the self-service content or the process itself. Webcare records "
        "contacts and costs, so you can show the savings compared with phone and e-mail.",
    ),
)
