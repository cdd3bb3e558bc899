import unicodedata

import ftfy.bad_codecs  # noqa: F401  registers the sloppy-windows-1252 codec browsers use

from nlp.text.normalise import canonical_form, content_hash, normalise, word_count

PARAGRAPHS = (
    "Fincantieri ha firmato a Trieste un contratto da 1,5 miliardi di euro per la costruzione di due navi da "
    "crociera. “È una commessa importante per tutta la filiera”, ha detto l’amministratore delegato, perché la città "
    "vive da sempre di cantieristica.\n\n"
    "Le consegne sono previste entro il 2028 e coinvolgeranno circa 400 aziende fornitrici, in gran parte friulane "
    "e venete. Il titolo ha chiuso la seduta in rialzo del 2,3 per cento."
)


def test_repairs_mojibake():
    assert normalise("perchÃ© la cittÃ  è cambiata") == "perché la città è cambiata"
    assert normalise("perchÃ© la cittÃ ") == "perché la città"


def test_repairs_a_whole_article_decoded_with_the_wrong_codec():
    garbled = PARAGRAPHS.encode("utf-8").decode("sloppy-windows-1252")
    assert "Ã" in garbled
    assert normalise(garbled) == normalise(PARAGRAPHS)


def test_straightens_typographic_quotes_and_keeps_accents_and_guillemets():
    text = "“È una commessa importante”, ha detto l’amministratore: «ne siamo orgogliosi»."
    assert normalise(text) == '"È una commessa importante", ha detto l\'amministratore: «ne siamo orgogliosi».'


def test_composes_to_nfc():
    decomposed = unicodedata.normalize("NFD", "La società è più solida perché la città cresce")
    assert decomposed != "La società è più solida perché la città cresce"
    result = normalise(decomposed)
    assert result == "La società è più solida perché la città cresce"
    assert unicodedata.is_normalized("NFC", result)


def test_collapses_spaces_and_keeps_at_most_one_blank_line_between_paragraphs():
    messy = (
        "\n\n  Il fatturato\t\tè  cresciuto\u00a0del 5%.  \r\nLe vendite tengono.\r\n\r\n \t \n\n\n"
        "Nuovo paragrafo.\rUltima riga.  \n\n"
    )
    assert normalise(messy) == "Il fatturato è cresciuto del 5%.\nLe vendite tengono.\n\nNuovo paragrafo.\nUltima riga."


def test_strips_zero_width_and_control_characters():
    text = "\ufeffFin\u00adcan\u200btieri\u200e ha\x07 assunto \u200b 200 persone\x00."
    assert normalise(text) == "Fincantieri ha assunto 200 persone."


def test_is_idempotent_on_real_paragraphs():
    once = normalise(PARAGRAPHS)
    assert once.count("\n\n") == 1
    assert normalise(once) == once


def test_word_count_counts_words_not_punctuation():
    assert word_count("L'azienda — con sede a Milano — cresce del 5%.") == 8
    assert word_count("") == 0
    assert word_count(PARAGRAPHS) == len(PARAGRAPHS.split())


def test_canonical_form_ignores_case_punctuation_and_layout():
    assert canonical_form("L’Azienda,  con sede a MILANO!\n\nCresce.") == "l azienda con sede a milano cresce"


def test_content_hash_is_equal_for_reformatted_copies():
    reformatted = "  " + PARAGRAPHS.upper().replace(" ", "   ").replace("\n\n", "\n\n\n\n").replace("’", "'") + "\n"
    reformatted = reformatted.replace("“", "«").replace("”", "»")
    assert content_hash(reformatted) == content_hash(PARAGRAPHS)
    assert len(content_hash(PARAGRAPHS)) == 64


def test_content_hash_differs_when_the_words_differ():
    assert content_hash(PARAGRAPHS) != content_hash(PARAGRAPHS.replace("1,5 miliardi", "2 miliardi"))
