"""The engine sentence by sentence: each reason a sentence is not new, in both languages, and
properties that must hold for every input (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmt.quality.engine import assess, score, sentence_key, split_sentences
from srmt.quality.types import AssessmentContext, SentenceVerdict, Why

COMMON = {
    "en": "Officers review files in the order they arrive.",
    "es": "Los oficiales revisan los expedientes en el orden en que llegan.",
}
CONTEXTS = {
    "en": AssessmentContext(
        language="en",
        templates=(
            "Dear {{ customer_name }}, thank you for contacting us about {{ receipt_number }}. "
            "Your case is still pending. We will contact you when a decision is made.",
        ),
        customer_request="My husband and I moved to Houston. When will my interview be?",
        case_record=("IOE0912345678", "I-485. Application to Register Permanent Residence",
                     "2025-03-03", "Case Was Received", "Maria Lopez", "National Benefits Center"),
        prior_responses=("We scheduled your interview for June 10, 2026 at 9:00 a.m. at the "
                         "Houston Field Office.",),
        is_common=lambda key: key == sentence_key(COMMON["en"], "en"),
    ),
    "es": AssessmentContext(
        language="es",
        templates=(
            "Estimado/a {{ customer_name }}: gracias por comunicarse con nosotros sobre "
            "{{ receipt_number }}. Su caso sigue pendiente. Nos comunicaremos con usted cuando "
            "se tome una decisión.",
        ),
        customer_request="Mi esposo y yo nos mudamos a Houston. ¿Cuándo será mi entrevista?",
        case_record=("IOE0912345678", "I-485. Solicitud de Registro de Residencia Permanente",
                     "2025-03-03", "Caso Recibido", "María López", "Centro Nacional de Beneficios"),
        prior_responses=("Programamos su entrevista para el 10 de junio de 2026 a las 9:00 en la "
                         "Oficina Local de Houston.",),
        is_common=lambda key: key == sentence_key(COMMON["es"], "es"),
    ),
}  # fmt: skip

T, P, R, C, M, G = (
    Why.TEMPLATE, Why.PRIOR_RESPONSE, Why.CUSTOMER_REQUEST, Why.CASE_RECORD, Why.COMMON_PHRASE,
    Why.GENERIC,
)  # fmt: skip
NEW = None
# Per language: (why, sentence); NEW: the sentence is new.
TABLE = {
    "en": [
        (T, "Dear María López, thank you for contacting us about IOE0912345678."),
        (T, "Your case is still pending."),
        (P, "As we told you, your interview is on 6/10/2026 at the Houston office."),
        (P, "Your interview at the Houston Field Office is on June 10, 2026 at 9:00 a.m."),
        (R, "You told us that you and your husband moved to Houston."),
        (C, "Your Form I-485, receipt IOE0912345678, was received on March 3, 2025."),
        (M, COMMON["en"]),
        (G, "We apologize for the delay and appreciate your patience."),
        (G, "Processing times vary and are posted on our website."),
        (G, "If we need more evidence, we will send you a request."),
        (G, "Please allow 30 days for a response."),
        (G, "Sincerely,"),
        (NEW, "We ordered a corrected card on May 2, 2026."),
        (NEW, "We transferred your case to the Dallas Field Office because you live there."),
        (NEW, "Your medical exam (Form I-693) is missing; mail one to the Nebraska office."),
        (NEW, "We denied your expedite request because the letter showed no deadline."),
        (NEW, "We rescheduled your interview to July 8, 2026 at 1:30 p.m."),
    ],
    "es": [
        (T, "Estimada María López: gracias por comunicarse con nosotros sobre IOE0912345678."),
        (T, "Su caso sigue pendiente."),
        (P, "Como le dijimos, su entrevista es el 10/06/2026 en la oficina de Houston."),
        (P, "Su entrevista en la Oficina Local de Houston es el 10 de junio de 2026 a las 9:00."),
        (R, "Usted nos dice que se mudó a Houston con su esposo."),
        (C, "Su Formulario I-485, recibo IOE0912345678, se recibió el 3 de marzo de 2025."),
        (M, COMMON["es"]),
        (G, "Lamentamos la demora y agradecemos su paciencia."),
        (G, "Los tiempos de procesamiento varían y se publican en nuestra página web."),
        (G, "Si necesitamos más evidencia, le enviaremos una solicitud."),
        (G, "Por favor espere 30 días para recibir respuesta."),
        (G, "Atentamente,"),
        (NEW, "El 2 de mayo de 2026 ordenamos una tarjeta corregida."),
        (NEW, "Transferimos su caso a la Oficina Local de Dallas porque ahora vive allí."),
        (NEW, "Falta su examen médico (Formulario I-693); envíelo a la oficina de Nebraska."),
        (NEW, "Negamos su solicitud de trámite urgente porque la carta no mostraba un plazo."),
        (NEW, "Reprogramamos su entrevista para el 8 de julio de 2026 a las 13:30."),
    ],
}
CASES = [
    (language, sentence, why is None, why)
    for language, rows in TABLE.items()
    for why, sentence in rows
]


@pytest.mark.parametrize(("language", "sentence", "new", "why"), CASES)
def test_each_sentence_gets_its_reason(
    language: str, sentence: str, new: bool, why: Why | None
) -> None:
    result = assess(sentence, CONTEXTS[language], threshold=0.15)
    assert [(v.text, v.new, v.why) for v in result.sentences] == [(sentence, new, why)]
    assert result.new_information == (1.0 if new else 0.0)
    assert result.form_letter is (not new)


def test_every_reason_and_both_languages_are_covered() -> None:
    for language in ("en", "es"):
        reasons = {why for lang, _, new, why in CASES if lang == language and not new}
        assert reasons == set(Why)
        assert any(new for lang, _, new, _ in CASES if lang == language)


@pytest.mark.parametrize(
    ("new", "other", "expected"),
    [(0, 0, 0.0), (0, 5, 0.0), (1, 0, 1.0), (3, 0, 1.0), (1, 1, 0.5), (1, 9, 0.25), (2, 4, 0.5)],
)
def test_score_formula(new: int, other: int, expected: float) -> None:
    verdicts = [SentenceVerdict("n", True, None)] * new + [
        SentenceVerdict("o", False, Why.GENERIC)
    ] * other
    assert score(verdicts) == expected


@pytest.mark.parametrize(("other", "expected"), [(16, 0.2), (32, 1 / (1 + math.sqrt(32)))])
def test_one_new_sentence_amid_much_boilerplate_passes_the_default_threshold(
    other: int, expected: float
) -> None:
    news = [SentenceVerdict("n", True, None)]
    verdicts = news + [SentenceVerdict("o", False, Why.GENERIC)] * other
    assert score(verdicts) == expected
    assert score(verdicts) >= 0.15


TEMPLATE_SENTENCES = {
    language: split_sentences(context.templates[0], language)
    for language, context in CONTEXTS.items()
}
NEW_SENTENCES = {
    language: [s for lang, s, new, _ in CASES if lang == language and new] for language in CONTEXTS
}
OTHER_SENTENCES = {
    language: [s for lang, s, new, _ in CASES if lang == language and not new]
    for language in CONTEXTS
}
languages = st.sampled_from(["en", "es"])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), languages, st.floats(min_value=0.01, max_value=0.99))
def test_the_score_is_between_zero_and_one_for_any_text(
    body: str, language: str, threshold: float
) -> None:
    result = assess(body, CONTEXTS[language], threshold=threshold)
    assert 0.0 <= result.new_information <= 1.0
    assert result.form_letter is (result.new_information < threshold)
    assert result.threshold == threshold
    assert all(v.new is (v.why is None) for v in result.sentences)


@settings(max_examples=100, deadline=None)
@given(languages, st.data())
def test_a_body_of_template_sentences_scores_zero(language: str, data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(TEMPLATE_SENTENCES[language]), min_size=1))
    result = assess(" ".join(chosen), CONTEXTS[language], threshold=0.15)
    assert result.new_information == 0.0
    assert result.form_letter is True


@settings(max_examples=100, deadline=None)
@given(languages, st.data())
def test_adding_a_sentence_that_is_not_new_never_raises_the_score(
    language: str, data: st.DataObject
) -> None:
    pool = NEW_SENTENCES[language] + OTHER_SENTENCES[language]
    body = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8))
    added = data.draw(st.sampled_from(OTHER_SENTENCES[language]))
    context = CONTEXTS[language]
    before = assess("\n".join(body), context, threshold=0.15).new_information
    after = assess("\n".join([*body, added]), context, threshold=0.15).new_information
    assert after <= before


@settings(max_examples=100, deadline=None)
@given(languages, st.data())
def test_adding_a_new_sentence_never_lowers_the_score(language: str, data: st.DataObject) -> None:
    pool = NEW_SENTENCES[language] + OTHER_SENTENCES[language]
    body = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8))
    added = data.draw(st.sampled_from(NEW_SENTENCES[language]))
    context = CONTEXTS[language]
    before = assess("\n".join(body), context, threshold=0.15)
    after = assess("\n".join([*body, added]), context, threshold=0.15)
    assert after.new_information >= before.new_information
    assert after.form_letter is False


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([s for _, s, _, _ in CASES]))
def test_the_key_ignores_case_accents_and_the_receipt_number(sentence: str) -> None:
    language = "es" if any(c in sentence for c in "áéíóúñ¿") else "en"
    assert sentence_key(sentence.upper(), language) == sentence_key(sentence, language)
    assert sentence_key(sentence.replace("IOE0912345678", "EAC2190000001"), language) == (
        sentence_key(sentence, language)
    )


PLAIN = {
    "en": AssessmentContext(
        language="en",
        customer_request="I filed my I-485 two years ago and nothing happens. Please help.",
        case_record=("IOE0912345678", "I-485. Application to Register Permanent Residence",
                     "2024-03-03", "Case Was Received", "Maria Lopez", "National Benefits Center"),
    ),
    "es": AssessmentContext(
        language="es",
        customer_request="Presenté mi I-485 hace dos años y no pasa nada. Ayúdenme.",
        case_record=("IOE0912345678", "I-485. Solicitud de Registro", "2024-03-03",
                     "Caso Recibido", "María López", "Centro Nacional de Beneficios"),
    ),
}  # fmt: skip
# Sentences met in letters, with nothing else to compare them with: news or not.
ALONE = [
    ("en", "We have escalated your case to a supervisor at the National Benefits Center.", True),
    ("en", "Your case is on hold pending a background check by another agency.", True),
    ("en", "Your case was approved.", True),
    ("en", "Your interview notice was mailed on 12/3/26.", True),
    ("en", "Your fingerprints were taken on April 5, 2024 and are valid.", True),
    (
        "en",
        "Today I sent an email to the Houston Field Office asking them to look at your file.",
        True,
    ),
    ("en", "We have forwarded your inquiry to the office handling your case.", False),
    ("en", "Please bring your passport and your appointment notice to your interview.", False),
    ("en", "Your case status is Case Was Received.", False),
    ("en", "We are unable to provide more information at this time.", False),
    ("en", "You can upload documents through your online account at my.uscis.gov.", False),
    ("en", "Due to high volumes, responses may take up to 45 days.", False),
    ("en", "An officer has been assigned to your case.", False),
    ("en", "Our records indicate your application was filed on March 3, 2024.", False),
    ("en", "We are currently processing cases filed on or before March 1, 2024.", False),
    ("en", "The Center is processing applications received before 01/15/2024.", False),
    ("en", "80% of cases are completed within 14.5 months.", False),
    ("en", "Marriage-based applications are taking between 10 and 16 months.", False),
    ("en", "Your case was put on hold on March 1, 2026 for a security check.", True),
    ("en", "Please respond to our request by December 10, 2026.", True),
    ("en", "Your fingerprints were rejected.", True),
    ("en", "Your case has been reopened.", True),
    ("en", "Your interview was cancelled.", True),
    ("en", "We need a copy of your passport.", True),
    ("en", "Page 3 of your form is not signed.", True),
    ("en", "Your medical exam is missing.", True),
    ("en", "Your case is taking longer than usual.", False),
    ("en", "Some cases take longer than others.", False),
    ("en", "Your case has been received and is being processed.", False),
    ("en", "We will review your case soon.", False),
    ("en", "The officer handling your case is reviewing it.", False),
    ("es", "Hemos escalado su caso a un supervisor del Centro Nacional de Beneficios.", True),
    ("es", "Su caso está detenido por una verificación de antecedentes de otra agencia.", True),
    ("es", "Su caso fue aprobado.", True),
    ("es", "Su aviso de entrevista se envió por correo el 3/12/26.", True),
    ("es", "Sus huellas se tomaron el 5 de abril de 2024 y siguen vigentes.", True),
    ("es", "Hemos remitido su consulta a la oficina que tiene su caso.", False),
    ("es", "Por favor traiga su pasaporte y su aviso de cita a la entrevista.", False),
    ("es", "No podemos darle más información en este momento.", False),
    ("es", "Le informamos que su solicitud sigue en trámite.", False),
    ("es", "Debido al alto volumen, las respuestas pueden tardar hasta 45 días.", False),
    ("es", "Un oficial ha sido asignado a su caso.", False),
    ("es", "Actualmente estamos procesando casos presentados antes del 1 de marzo de 2024.", False),
    ("es", "El 80% de los casos se completan en 14.5 meses.", False),
    ("es", "Las solicitudes por matrimonio tardan entre 10 y 16 meses.", False),
    (
        "es",
        "Su caso quedó en espera el 1 de marzo de 2026 por una verificación de seguridad.",
        True,
    ),
    ("es", "Por favor responda a nuestra solicitud antes del 10 de diciembre de 2026.", True),
    ("es", "Sus huellas fueron rechazadas.", True),
    ("es", "Su caso fue reabierto.", True),
    ("es", "Su entrevista fue cancelada.", True),
    ("es", "Necesitamos una copia de su pasaporte.", True),
    ("es", "La página 3 de su formulario no está firmada.", True),
    ("es", "Falta su examen médico.", True),
    ("es", "Su caso está tardando más de lo normal.", False),
    ("es", "Algunos casos tardan más que otros.", False),
    ("es", "Su caso fue recibido y se está procesando.", False),
    ("es", "Revisaremos su caso pronto.", False),
    ("es", "El oficial a cargo de su caso lo está revisando.", False),
]


@pytest.mark.parametrize(("language", "sentence", "new"), ALONE)
def test_sentences_alone(language: str, sentence: str, new: bool) -> None:
    result = assess(sentence, PLAIN[language], threshold=0.15)
    assert [v.new for v in result.sentences] == [new]


CARD = {
    "en": AssessmentContext(
        language="en",
        customer_request="Where is my green card? My I-485 was approved in September.",
        case_record=("MSC2190000001", "I-485. Application to Register Permanent Residence",
                     "2024-01-10", "Case Was Approved", "Li Wei", "National Benefits Center"),
    ),
    "es": AssessmentContext(
        language="es",
        customer_request="¿Dónde está mi tarjeta verde? Mi I-485 fue aprobado en septiembre.",
        case_record=("MSC2190000001", "I-485. Solicitud de Registro", "2024-01-10",
                     "Caso Aprobado", "Li Wei", "Centro Nacional de Beneficios"),
    ),
}  # fmt: skip
# About a card the customer is waiting for: promises and rules are not news; actions are.
ABOUT_THE_CARD = [
    ("en", "Your card will be mailed to you after it is produced.", False),
    ("en", "Cards are usually mailed within 30 days of approval.", False),
    ("en", "Your case was approved, as you know.", False),
    ("en", "We have reviewed your file and everything is in order.", False),
    ("en", "Your card is in production.", False),
    ("en", "Please call us if you do not receive your card in 30 days.", False),
    ("en", "We are sorry that your card has not arrived yet.", False),
    ("en", "A supervisor will review your request.", False),
    ("en", "Your request has been sent to the appropriate department.", False),
    ("en", "To change your address, use Form AR-11 online.", False),
    ("en", "Your card was returned to us as undeliverable.", True),
    ("en", "The Postal Service returned your card because the apartment number was missing.", True),
    ("en", "We ordered your card today.", True),
    ("en", "Our records show your card was delivered on October 14, 2026 to 88 Pine St.", True),
    ("en", "I called the card facility and your card was printed on November 3.", True),
    ("es", "Su tarjeta será enviada por correo una vez que se produzca.", False),
    ("es", "Las tarjetas suelen enviarse dentro de 30 días de la aprobación.", False),
    ("es", "Revisamos su expediente y todo está en orden.", False),
    ("es", "Su tarjeta está en producción.", False),
    ("es", "Llámenos si no recibe su tarjeta en 30 días.", False),
    ("es", "Lamentamos que su tarjeta no haya llegado todavía.", False),
    ("es", "Un supervisor revisará su solicitud.", False),
    ("es", "Su solicitud fue enviada al departamento correspondiente.", False),
    ("es", "Para cambiar su dirección, use el Formulario AR-11 en línea.", False),
    ("es", "Su tarjeta nos fue devuelta como no entregable.", True),
    (
        "es",
        "El Servicio Postal nos devolvió su tarjeta porque faltaba el número de apartamento.",
        True,
    ),
    ("es", "Hoy ordenamos su tarjeta.", True),
    ("es", "Nuestros registros muestran que su tarjeta se entregó el 14 de octubre de 2026.", True),
    ("es", "Llamé al centro de tarjetas y su tarjeta se imprimió el 3 de noviembre.", True),
]


@pytest.mark.parametrize(("language", "sentence", "new"), ABOUT_THE_CARD)
def test_sentences_about_the_card(language: str, sentence: str, new: bool) -> None:
    result = assess(sentence, CARD[language], threshold=0.15)
    assert [v.new for v in result.sentences] == [new]


MOVED = {
    "en": AssessmentContext(
        language="en",
        customer_request="What is happening with my case? I moved to Texas.",
        case_record=("MSC2190000001", "I-485. Application to Register Permanent Residence",
                     "2024-01-10", "Case Was Transferred And A New Office Has Jurisdiction",
                     "2026-10-02", "Li Wei", "National Benefits Center"),
    ),
    "es": AssessmentContext(
        language="es",
        customer_request="¿Qué pasa con mi caso? Me mudé a Texas.",
        case_record=("MSC2190000001", "I-485. Solicitud de Registro", "2024-01-10",
                     "Caso Transferido y una Nueva Oficina Tiene Jurisdicción", "2026-10-02",
                     "Li Wei", "Centro Nacional de Beneficios"),
    ),
}  # fmt: skip
# What the case record already shows, and how to reach the agency, are not news.
ABOUT_THE_MOVE = [
    ("en", "Call us at 800-375-5283 (TTY 800-767-1833).", False),
    ("en", "Mail your evidence to USCIS, P.O. Box 660867, Dallas, TX 75266.", False),
    ("en", "Your case was transferred to a new office, as your online status shows.", False),
    ("en", "Your case was transferred on October 2, 2026.", False),
    (
        "en",
        "On October 2, 2026 it went to the Houston Field Office because you moved to Texas.",
        True,
    ),
    ("en", "We updated your address to 77 Mission Road, San Antonio, TX 78210.", True),
    ("es", "Llámenos al 800-375-5283 (TTY 800-767-1833).", False),
    ("es", "Envíe su evidencia a USCIS, P.O. Box 660867, Dallas, TX 75266.", False),
    ("es", "Su caso fue transferido a una nueva oficina, como muestra su estado en línea.", False),
    ("es", "Su caso fue transferido el 2 de octubre de 2026.", False),
    (
        "es",
        "El 2 de octubre de 2026 su caso pasó a la Oficina Local de Houston porque se mudó.",
        True,
    ),
    ("es", "Actualizamos su dirección a 77 Mission Road, San Antonio, TX 78210.", True),
]


@pytest.mark.parametrize(("language", "sentence", "new"), ABOUT_THE_MOVE)
def test_sentences_about_the_move(language: str, sentence: str, new: bool) -> None:
    result = assess(sentence, MOVED[language], threshold=0.15)
    assert [v.new for v in result.sentences] == [new]


# (language, an earlier response, the new sentence, new): earlier news said again in other
# words is not news; other news on the same case is.
AFTER_AN_EARLIER_RESPONSE = [
    ("en", "We need a copy of your passport.",
     "As a reminder, we still need a copy of your passport.", False),
    ("en", "We need a copy of your passport.",
     "We are still waiting for the copy of your passport we asked for.", False),
    ("en", "Your fingerprints were rejected, so we scheduled a new biometrics appointment for "
     "May 5, 2026.",
     "Your new fingerprint appointment is on 5/5/2026, because the first prints were rejected.",
     False),
    ("en", "We transferred your case to the Houston Field Office because you moved.",
     "Your case is now at the Houston Field Office since you moved.", False),
    ("en", "We transferred your case to the Houston Field Office because you moved.",
     "The Houston Field Office scheduled your interview for June 2, 2026.", True),
    ("en", "Your case was approved on May 1, 2026.", "Your card was mailed on May 8, 2026.", True),
    ("en", "We need a copy of your passport.",
     "We received the copy of your passport on April 2, 2026.", True),
    ("es", "Necesitamos una copia de su pasaporte.",
     "Le recordamos que todavía necesitamos una copia de su pasaporte.", False),
    ("es", "Necesitamos una copia de su pasaporte.",
     "Seguimos esperando la copia de su pasaporte que le pedimos.", False),
    ("es", "Sus huellas fueron rechazadas, así que programamos una nueva cita de biométricos "
     "para el 5 de mayo de 2026.",
     "Su nueva cita de huellas es el 05/05/2026, porque las primeras huellas fueron rechazadas.",
     False),
    ("es", "Transferimos su caso a la Oficina Local de Houston porque usted se mudó.",
     "Su caso ahora está en la Oficina Local de Houston porque usted se mudó.", False),
    ("es", "Transferimos su caso a la Oficina Local de Houston porque usted se mudó.",
     "La Oficina Local de Houston programó su entrevista para el 2 de junio de 2026.", True),
    ("es", "Su caso fue aprobado el 1 de mayo de 2026.",
     "Su tarjeta se envió por correo el 8 de mayo de 2026.", True),
    ("es", "Necesitamos una copia de su pasaporte.",
     "Recibimos la copia de su pasaporte el 2 de abril de 2026.", True),
]  # fmt: skip


@pytest.mark.parametrize(("language", "earlier", "sentence", "new"), AFTER_AN_EARLIER_RESPONSE)
def test_sentences_after_an_earlier_response(
    language: str, earlier: str, sentence: str, new: bool
) -> None:
    context = AssessmentContext(
        language=language,
        customer_request="It has been two years. Why?" if language == "en" else "¿Por qué?",
        case_record=("IOE0912345678", "I-485", "2024-03-03", "Maria Lopez"),
        prior_responses=(earlier,),
    )
    result = assess(sentence, context, threshold=0.15)
    expected = (True, None) if new else (False, Why.PRIOR_RESPONSE)
    assert [(v.new, v.why) for v in result.sentences] == [expected]


ASKED = {
    "en": AssessmentContext(
        language="en",
        customer_request="Was my interview scheduled? I filed in 2024.",
        case_record=("IOE0912345678", "I-485", "2024-03-03", "Case Was Received", "Maria Lopez"),
    ),
    "es": AssessmentContext(
        language="es",
        customer_request="¿Ya programaron mi entrevista? Presenté en 2024.",
        case_record=("IOE0912345678", "I-485", "2024-03-03", "Caso Recibido", "María López"),
    ),
}
# Instructions, promises, signatures and greetings are not news; "sí" is not "si" (if).
AFTER_A_QUESTION = [
    ("en", "Attend your interview with your original documents.", False),
    ("en", "You should receive your card within 30 days.", False),
    ("en", "Yes, your interview has been scheduled; the notice was mailed last week.", True),
    ("en", "Your next step is to wait for the interview notice.", False),
    ("en", "John Doe", False),
    ("en", "Immigration Services Officer", False),
    ("en", "Dear Mr. Smith, thank you for contacting us about your case.", False),
    ("es", "Asista a su entrevista con sus documentos originales.", False),
    ("es", "Debería recibir su tarjeta dentro de 30 días.", False),
    (
        "es",
        "Sí, su entrevista ya fue programada; el aviso se envió por correo la semana pasada.",
        True,
    ),
    ("es", "Su próximo paso es esperar el aviso de entrevista.", False),
    ("es", "Estimado señor Smith, gracias por comunicarse con nosotros sobre su caso.", False),
]


@pytest.mark.parametrize(("language", "sentence", "new"), AFTER_A_QUESTION)
def test_sentences_after_a_question(language: str, sentence: str, new: bool) -> None:
    result = assess(sentence, ASKED[language], threshold=0.15)
    assert [v.new for v in result.sentences] == [new]
