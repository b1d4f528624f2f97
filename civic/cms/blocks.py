from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(label=_("Level"), choices=[("h2", "H2"), ("h3", "H3")], default="h2")

    class Meta:
        icon = "title"
        template = "cms/blocks/heading_block.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link"])
    link_page = blocks.PageChooserBlock(label=_("Link to a page"), required=False)
    link_label = blocks.CharBlock(label=_("Link label"), required=False, max_length=80)

    class Meta:
        icon = "pick"
        template = "cms/blocks/callout_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "cms/blocks/figure_block.html"


class BodyBlock(blocks.StreamBlock):
    # Each block names itself in the editor's menu: without a label Wagtail shows the English name.
    heading = HeadingBlock(label=_("Heading"))
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        template="cms/blocks/paragraph_block.html",
    )
    figure = FigureBlock(label=_("Image with caption"))
    callout = CalloutBlock(label=_("Callout"))

    class Meta:
        block_counts = {}
