"""Demo pages and site identity for Montfleury-sur-Lise."""

from wagtail.models import Site

from .models import FooterLink, HomePage, SiteIdentity, StandardPage

ORDER = 30

PAGES = [
    (
        "a-propos",
        "À propos de la participation",
        "Montfleury-sur-Lise associe ses habitants aux décisions qui les concernent.",
        [
            ("heading", {"text": "Une plateforme, un compte", "level": "h2"}),
            (
                "paragraph",
                "<p>Signalez un problème dans l’espace public, proposez et votez pour des projets du "
                "budget participatif, donnez votre avis sur les projets d’aménagement : tout se fait ici, avec un "
                "seul compte.</p>",
            ),
            (
                "paragraph",
                "<p>Les services de la ville répondent à chaque contribution. Les décisions et leurs "
                "raisons sont publiées.</p>",
            ),
        ],
        True,
    ),
    (
        "aide",
        "Aide",
        "Comment participer, pas à pas.",
        [
            ("heading", {"text": "Créer un compte", "level": "h2"}),
            (
                "paragraph",
                "<p>Un courriel et un mot de passe suffisent. Vous recevez un lien pour confirmer votre "
                "adresse. Vous pouvez publier sous un pseudonyme.</p>",
            ),
            ("heading", {"text": "Vos données", "level": "h2"}),
            (
                "paragraph",
                "<p>Votre adresse électronique n’est jamais publiée. Vous pouvez supprimer votre compte "
                "à tout moment depuis votre espace.</p>",
            ),
        ],
        True,
    ),
    (
        "mentions-legales",
        "Mentions légales",
        "",
        [
            (
                "paragraph",
                "<p>Éditeur : commune de Montfleury-sur-Lise (commune fictive de démonstration). "
                "Directrice de la publication : la maire.</p>",
            ),
            ("paragraph", "<p>Hébergement : serveurs de la collectivité. Logiciel : civic, libre (AGPL).</p>"),
        ],
        False,
    ),
    (
        "accessibilite",
        "Déclaration d’accessibilité",
        "La commune s’engage à rendre son site accessible conformément à l’article 47 de la loi n° 2005-102.",
        [
            (
                "paragraph",
                "<p>Cette plateforme vise la conformité au RGAA 4.1 (WCAG 2.1 niveau AA). Chaque carte "
                "a une alternative en liste ; toutes les actions sont possibles au clavier.</p>",
            ),
            (
                "paragraph",
                "<p>Si vous ne pouvez pas accéder à un contenu, écrivez-nous : nous vous répondrons "
                "sous sept jours.</p>",
            ),
        ],
        False,
    ),
]


def load(context):
    home = HomePage.objects.first()
    home.title = "Montfleury-sur-Lise participe"
    home.intro = (
        "Signalez un problème dans votre rue, proposez des projets pour votre quartier, "
        "donnez votre avis sur les aménagements : la ville vous répond."
    )
    home.body = [
        (
            "callout",
            {
                "title": "Budget participatif 2027",
                "text": "<p>500 000 € pour des projets proposés et choisis par les habitants.</p>",
                "link_page": None,
                "link_label": "",
            },
        ),
        ("heading", {"text": "Comment ça marche ?", "level": "h2"}),
        (
            "paragraph",
            "<p>Chaque contribution est lue par les services de la ville et suivie jusqu’à sa "
            "réalisation. Vous êtes prévenu à chaque étape.</p>",
        ),
    ]
    home.save_revision().publish()
    pages = {}
    for slug, title, intro, body, in_menu in PAGES:
        page = StandardPage.objects.filter(slug=slug).first()
        if page is None:
            page = StandardPage(slug=slug, title=title)
            home.add_child(instance=page)
        page.title, page.intro, page.body, page.show_in_menus = title, intro, body, in_menu
        page.save_revision().publish()
        pages[slug] = page
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Montfleury-sur-Lise"
    site.hostname = "127.0.0.1"
    site.port = 8000
    site.save()
    identity = SiteIdentity.for_site(site)
    identity.organisation_name = "Ville de Montfleury-sur-Lise"
    identity.contact_email = "participation@montfleury-sur-lise.example"
    identity.contact_phone = "02 00 00 00 00"
    identity.contact_address = "Hôtel de ville\n1 place de la Mairie\n99001 Montfleury-sur-Lise"
    identity.map_center_latitude, identity.map_center_longitude, identity.map_zoom = 47.327, 1.452, 13
    identity.map_bounds = "1.35,47.26,1.56,47.39"
    identity.footer_links = [
        FooterLink(label=label, page=pages[slug], sort_order=order)
        for order, (label, slug) in enumerate(
            [("Mentions légales", "mentions-legales"), ("Accessibilité : partiellement conforme", "accessibilite")]
        )
    ]
    identity.save()
    context["home"] = home
    context["pages"] = pages
