"""Builds the labelled evaluation set of the new-information check (docs/adr/0034).

    .venv/bin/python -m srmt.quality.evaluation.build     (writes responses.jsonl beside it)

Deterministic (seeded). Every item is a response as a writer might send it, with what the
customer already had (their request, their case record, the templates on offer, earlier
responses) and its label by the issue's definition: `new_information` when it tells at least
one concrete, case-specific fact or action the customer did not have; `form_letter` when all
of it is generic or already known. The wording comes from many hand-written sentences in each
language, combined; the hard kinds are the issue's: long polite form letters naming the
receipt number, the name and the filing date (polite_form), boilerplate said in fresh words
(paraphrase_form), earlier news repeated in other words (repeat_form), and real news of one
short sentence amid boilerplate (one_in_boilerplate). The easy kinds: a filled template
(template_form), and a response that is mostly news (plain_news).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("responses.jsonl")

MONTHS_EN = "January February March April May June July August September October November December"
MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)

FIRST = [
    "Maria",
    "José",
    "Ana",
    "Luis",
    "Carmen",
    "Jorge",
    "Rosa",
    "Miguel",
    "Elena",
    "Pedro",
    "Sofia",
    "Daniel",
    "Laura",
    "Andrés",
]
LAST = [
    "López",
    "García",
    "Hernández",
    "Martínez",
    "Nguyen",
    "Smith",
    "Okafor",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Chen",
]
FORMS = [
    ("I-485", "Application to Register Permanent Residence or Adjust Status",
     "Solicitud de Registro de Residencia Permanente o Ajuste de Estatus"),
    ("I-130", "Petition for Alien Relative", "Petición de Familiar Extranjero"),
    ("N-400", "Application for Naturalization", "Solicitud de Naturalización"),
    ("I-765", "Application for Employment Authorization", "Solicitud de Autorización de Empleo"),
    ("I-90", "Application to Replace Permanent Resident Card",
     "Solicitud para Reemplazar la Tarjeta de Residente Permanente"),
    ("I-751", "Petition to Remove Conditions on Residence",
     "Petición para Cancelar las Condiciones de Residencia"),
]  # fmt: skip
OFFICES = [
    ("IOE", "National Benefits Center", "Centro Nacional de Beneficios"),
    ("EAC", "Vermont Service Center", "Centro de Servicio de Vermont"),
    ("WAC", "California Service Center", "Centro de Servicio de California"),
    ("LIN", "Nebraska Service Center", "Centro de Servicio de Nebraska"),
    ("SRC", "Texas Service Center", "Centro de Servicio de Texas"),
]
FIELD_OFFICES = [
    ("Houston Field Office", "Oficina Local de Houston", "126 Northpoint Drive, Houston"),
    ("Newark Field Office", "Oficina Local de Newark", "970 Broad Street, Newark"),
    ("Los Angeles Field Office", "Oficina Local de Los Ángeles", "300 N. Los Angeles Street"),
    ("Miami Field Office", "Oficina Local de Miami", "8801 NW 7th Avenue, Miami"),
    ("Chicago Field Office", "Oficina Local de Chicago", "101 W. Congress Parkway, Chicago"),
    ("San Antonio Field Office", "Oficina Local de San Antonio", "8940 Fourwinds Drive"),
]
ASC = [
    ("Omaha Application Support Center", "Centro de Apoyo de Solicitudes de Omaha"),
    ("Dallas Application Support Center", "Centro de Apoyo de Solicitudes de Dallas"),
    ("Phoenix Application Support Center", "Centro de Apoyo de Solicitudes de Phoenix"),
    ("Brooklyn Application Support Center", "Centro de Apoyo de Solicitudes de Brooklyn"),
]


@dataclass
class Case:
    language: str
    name: str
    first: str
    receipt: str
    form: str
    form_name: str
    filed: dt.date
    office: str
    field_office: str
    field_address: str
    asc: str
    status: str
    topic: str


def date_text(day: dt.date, language: str, style: int) -> str:
    if language == "es":
        month = MONTHS_ES.split()[day.month - 1]
        if style == 0:
            return f"{day.day} de {month} de {day.year}"
        if style == 1:
            return f"{day.day:02d}/{day.month:02d}/{day.year}"
        return f"{day.day} de {month}"
    month = MONTHS_EN.split()[day.month - 1]
    if style == 0:
        return f"{month} {day.day}, {day.year}"
    if style == 1:
        return f"{day.month}/{day.day}/{day.year}"
    return f"{day.day} {month} {day.year}"


# --- What customers write, per topic -------------------------------------------------------
REQUESTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "interview": [
            "I filed my {form} on {filed} and I still have no interview. When will it be scheduled?",
            "It has been more than a year since I applied. Can someone tell me if my interview date is set?",
            "My lawyer says other people who filed after me already had interviews. What about mine?",
        ],
        "card": [
            "My case was approved but I never got the card in the mail. Where is it?",
            "The online status says my card was produced weeks ago but nothing arrived at my house.",
            "I moved last month and I am afraid my green card went to my old address.",
        ],
        "biometrics": [
            "I never received a biometrics appointment letter. Do I need to go get fingerprinted?",
            "I missed my fingerprint appointment because I was in the hospital. What do I do now?",
        ],
        "outside_time": [
            "My case is outside the normal processing time posted on your website. Please help.",
            "I have waited {filed_ago} months. The processing times page says it should be done by now.",
            "Why is my {form} taking so long? I filed on {filed} and I have heard nothing.",
        ],
        "expedite": [
            "I asked for an expedite because my mother is very sick abroad and I need to travel. Any answer?",
            "I lost my job offer because I have no work permit. I requested expedited processing. Please respond.",
        ],
        "evidence": [
            "I received a letter saying something is missing from my application but I do not understand what.",
            "Did you get the documents I sent last month? I want to be sure my case is complete.",
        ],
        "name_error": [
            "My new card has my last name spelled wrong. How do I get it fixed?",
            "The date of birth on my employment authorization card is wrong.",
        ],
    },
    "es": {
        "interview": [
            "Presenté mi {form} el {filed} y todavía no tengo entrevista. ¿Cuándo me la van a dar?",
            "Ya pasó más de un año desde que envié la solicitud. ¿Ya tienen fecha para mi entrevista?",
            "Mi abogada dice que otras personas que aplicaron después ya tuvieron entrevista. ¿Y la mía?",
        ],
        "card": [
            "Mi caso fue aprobado pero nunca me llegó la tarjeta por correo. ¿Dónde está?",
            "En línea dice que mi tarjeta se produjo hace semanas pero no ha llegado nada a mi casa.",
            "Me mudé el mes pasado y tengo miedo de que mi tarjeta verde se haya ido a la dirección vieja.",
        ],
        "biometrics": [
            "Nunca recibí la cita para las huellas. ¿Tengo que ir a tomarme las huellas?",
            "No pude ir a mi cita de biométricos porque estaba en el hospital. ¿Qué hago ahora?",
        ],
        "outside_time": [
            "Mi caso está fuera del tiempo normal de procesamiento que publican en su página. Ayúdenme.",
            "Llevo {filed_ago} meses esperando. La página de tiempos de procesamiento dice que ya debería estar listo.",
            "¿Por qué tarda tanto mi {form}? Lo presenté el {filed} y no sé nada.",
        ],
        "expedite": [
            "Pedí que aceleraran mi caso porque mi madre está muy enferma en otro país y necesito viajar. ¿Hay respuesta?",
            "Perdí una oferta de trabajo por no tener permiso de trabajo. Pedí trámite urgente. Por favor respondan.",
        ],
        "evidence": [
            "Recibí una carta que dice que falta algo en mi solicitud pero no entiendo qué es.",
            "¿Recibieron los documentos que mandé el mes pasado? Quiero estar seguro de que mi caso está completo.",
        ],
        "name_error": [
            "Mi tarjeta nueva tiene mi apellido mal escrito. ¿Cómo la corrigen?",
            "La fecha de nacimiento en mi permiso de trabajo está equivocada.",
        ],
    },
}  # fmt: skip

# --- Templates (placeholders as {{ name }}) -------------------------------------------------
TEMPLATES: dict[str, list[str]] = {
    "en": [
        "Dear {{ customer_name }},\nThank you for contacting us about your case {{ receipt_number }}. "
        "Your case is still pending. The current processing time for {{ form }} is {{ processing_time }}. "
        "We will contact you when a decision is made.\nSincerely,\nContact Center",
        "Dear {{ customer_name }},\nWe received your inquiry about {{ receipt_number }}, filed on {{ filed_on }}. "
        "Your case is within our normal processing time. Please do not submit another inquiry until "
        "{{ inquiry_date }}. You can check your case status online at any time.",
        "Hello {{ customer_name }},\nWe have reviewed your request. An officer is reviewing your case. "
        "If we need more information, we will send you a notice. Thank you for your patience.",
        "Dear {{ customer_name }},\nThank you for your message. We understand that waiting is difficult. "
        "Cases are processed in the order they are received. You will receive a notice in the mail "
        "when there is an update on your case.",
        "Dear {{ customer_name }},\nThank you for contacting us. Your expedite request for case "
        "{{ receipt_number }} is under review. We will notify you of our decision.",
    ],
    "es": [
        "Estimado/a {{ customer_name }}:\nGracias por comunicarse con nosotros sobre su caso {{ receipt_number }}. "
        "Su caso sigue pendiente. El tiempo actual de procesamiento del {{ form }} es de {{ processing_time }}. "
        "Nos comunicaremos con usted cuando se tome una decisión.\nAtentamente,\nCentro de Contacto",
        "Estimado/a {{ customer_name }}:\nRecibimos su consulta sobre el caso {{ receipt_number }}, presentado el {{ filed_on }}. "
        "Su caso está dentro de nuestro tiempo normal de procesamiento. Por favor no envíe otra consulta antes del "
        "{{ inquiry_date }}. Puede verificar el estado de su caso en línea en cualquier momento.",
        "Hola {{ customer_name }}:\nHemos revisado su solicitud. Un oficial está revisando su caso. "
        "Si necesitamos más información, le enviaremos un aviso. Gracias por su paciencia.",
        "Estimado/a {{ customer_name }}:\nGracias por su mensaje. Entendemos que esperar es difícil. "
        "Los casos se procesan en el orden en que se reciben. Recibirá un aviso por correo "
        "cuando haya una actualización en su caso.",
        "Estimado/a {{ customer_name }}:\nGracias por comunicarse con nosotros. Su solicitud de trámite urgente para el caso "
        "{{ receipt_number }} está en revisión. Le notificaremos nuestra decisión.",
    ],
}  # fmt: skip


def fill(template: str, case: Case, rng: random.Random) -> str:
    values = {
        "customer_name": case.name,
        "receipt_number": case.receipt,
        "form": case.form,
        "filed_on": date_text(case.filed, case.language, rng.randrange(2)),
        "processing_time": rng.choice(["8.5 months", "11 months", "14.5 months"])
        if case.language == "en"
        else rng.choice(["8.5 meses", "11 meses", "14.5 meses"]),
        "inquiry_date": date_text(case.filed + dt.timedelta(days=400), case.language, 0),
    }
    for key, value in values.items():
        template = template.replace("{{ " + key + " }}", value)
    return template


# --- Boilerplate in the writers' own words (never in a template) ----------------------------
GREETING = {
    "en": ["Dear {name},", "Hello {first},", "Good afternoon {name},", "Dear Mr./Ms. {last},", "Hi {first},"],
    "es": ["Estimado/a {name}:", "Hola {first}:", "Buenas tardes, {name}:", "Estimada {name}:", "Señor/a {last}:"],
}  # fmt: skip
THANKS = {
    "en": [
        "Thank you for reaching out to the contact center.",
        "Thanks for writing to us again and for your patience.",
        "We appreciate you taking the time to contact us about this.",
        "Thank you for your inquiry regarding your immigration case.",
        "We are sorry for the frustration the wait has caused you.",
        "We apologize for the delay and understand how important this is to you and your family.",
        "I understand your concern and I am glad you wrote to us.",
    ],
    "es": [
        "Gracias por comunicarse con el centro de contacto.",
        "Gracias por escribirnos de nuevo y por su paciencia.",
        "Agradecemos que se haya tomado el tiempo de contactarnos.",
        "Gracias por su consulta sobre su caso de inmigración.",
        "Lamentamos la frustración que le ha causado la espera.",
        "Le pedimos disculpas por la demora y entendemos lo importante que es esto para usted y su familia.",
        "Entiendo su preocupación y me alegra que nos haya escrito.",
    ],
}  # fmt: skip
ECHO_CASE = {
    "en": [
        "Our records show that your {form}, receipt number {receipt}, was received on {filed}.",
        "I looked up receipt number {receipt} for your {form_name}, which you filed on {filed}.",
        "Your {form} ({receipt}) was filed on {filed} and is assigned to the {office}.",
        "According to our system, case {receipt} is a {form} filed on {filed} with the {office}.",
        "Your application, receipt {receipt}, shows the status {status}.",
        "I can confirm that we have your {form} filed on {filed} under receipt {receipt}.",
    ],
    "es": [
        "Nuestros registros indican que su {form}, número de recibo {receipt}, se recibió el {filed}.",
        "Revisé el recibo {receipt} de su {form_name}, que usted presentó el {filed}.",
        "Su {form} ({receipt}) fue presentado el {filed} y está asignado al {office}.",
        "Según nuestro sistema, el caso {receipt} es un {form} presentado el {filed} ante el {office}.",
        "Su solicitud, recibo {receipt}, muestra el estado {status}.",
        "Le confirmo que tenemos su {form} presentado el {filed} con el recibo {receipt}.",
    ],
}  # fmt: skip
ECHO_REQUEST = {
    "en": {
        "interview": ["You asked when your interview will be scheduled.", "I understand you are waiting for an interview date."],
        "card": ["You told us that your card has not arrived.", "I understand you have not received your card in the mail."],
        "biometrics": ["You wrote that you have not had a fingerprint appointment.", "You mentioned your biometrics appointment."],
        "outside_time": ["You mentioned that your case is taking longer than the posted time.", "I understand you have been waiting a long time."],
        "expedite": ["You asked about your request to expedite your case.", "I see that you requested expedited processing."],
        "evidence": ["You asked whether something is missing from your application.", "You want to know if we received your documents."],
        "name_error": ["You reported an error on your card.", "I understand there is a mistake on your card."],
    },
    "es": {
        "interview": ["Usted pregunta cuándo se programará su entrevista.", "Entiendo que está esperando una fecha de entrevista."],
        "card": ["Usted nos dice que su tarjeta no ha llegado.", "Entiendo que no ha recibido su tarjeta por correo."],
        "biometrics": ["Usted escribe que no ha tenido cita para huellas.", "Usted menciona su cita de biométricos."],
        "outside_time": ["Usted menciona que su caso tarda más que el tiempo publicado.", "Entiendo que lleva mucho tiempo esperando."],
        "expedite": ["Usted pregunta por su solicitud para acelerar su caso.", "Veo que pidió un trámite urgente."],
        "evidence": ["Usted pregunta si falta algo en su solicitud.", "Usted quiere saber si recibimos sus documentos."],
        "name_error": ["Usted reporta un error en su tarjeta.", "Entiendo que hay un error en su tarjeta."],
    },
}  # fmt: skip
GENERIC = {
    "en": [
        "Your case remains pending with an officer.",
        "Your case is still being processed.",
        "At this time your application is in line for review.",
        "Our officers handle applications in the order we receive them.",
        "Processing times vary from case to case and depend on many factors.",
        "You can find the current processing times on our website.",
        "Please allow additional time for your case to be completed.",
        "We will reach out to you if anything else is needed.",
        "You will hear from us as soon as a decision has been made.",
        "A notice will be mailed to you once there is an update.",
        "Please keep your mailing address current so that you receive our letters.",
        "You may check the status of your case online using your receipt number.",
        "Please do not send duplicate documents, as this can slow down processing.",
        "There is no further action you need to take at this time.",
        "Unfortunately we cannot give you an exact date for a decision.",
        "The officer assigned to your case will contact you if more evidence is required.",
        "We are working as quickly as possible to reduce wait times.",
        "Your patience during this time is greatly appreciated.",
        "Every case receives a careful and thorough review.",
        "If you have other questions, you can call the contact center.",
        "Please wait until your case is outside the normal processing time before contacting us again.",
        "Our team is doing everything it can to finish pending cases.",
    ],
    "es": [
        "Su caso sigue pendiente con un oficial.",
        "Su caso todavía se está procesando.",
        "En este momento su solicitud está en fila para revisión.",
        "Nuestros oficiales atienden las solicitudes en el orden en que las recibimos.",
        "Los tiempos de procesamiento varían de un caso a otro y dependen de muchos factores.",
        "Puede encontrar los tiempos de procesamiento actuales en nuestra página web.",
        "Por favor espere un tiempo adicional para que se complete su caso.",
        "Nos comunicaremos con usted si se necesita algo más.",
        "Sabrá de nosotros tan pronto como se tome una decisión.",
        "Le enviaremos un aviso por correo cuando haya una actualización.",
        "Por favor mantenga su dirección postal al día para que reciba nuestras cartas.",
        "Puede verificar el estado de su caso en línea con su número de recibo.",
        "Por favor no envíe documentos duplicados, ya que esto puede demorar el trámite.",
        "No necesita hacer nada más por ahora.",
        "Lamentablemente no podemos darle una fecha exacta para la decisión.",
        "El oficial asignado a su caso se comunicará con usted si se requiere más evidencia.",
        "Estamos trabajando lo más rápido posible para reducir los tiempos de espera.",
        "Agradecemos mucho su paciencia durante este tiempo.",
        "Cada caso recibe una revisión cuidadosa y completa.",
        "Si tiene otras preguntas, puede llamar al centro de contacto.",
        "Por favor espere a que su caso esté fuera del tiempo normal de procesamiento antes de volver a escribirnos.",
        "Nuestro equipo hace todo lo posible para terminar los casos pendientes.",
    ],
}  # fmt: skip
# Boilerplate said in fresh words: no template and no common word list says it this way.
PARAPHRASE = {
    "en": [
        "Nothing has been decided on your file yet, and it is sitting with the team that handles these applications.",
        "Files like yours move through the line one at a time, oldest first.",
        "How long a case takes depends on the workload at the office that has it.",
        "As soon as something happens with your application, a letter will go out to you.",
        "There is nothing you need to do right now other than wait for our letter.",
        "Your paperwork is in our hands and an adjudicator will look at it in turn.",
        "We know the wait has been long, and we are doing our best to move things along.",
        "The estimate of how long cases take is updated on the website every month.",
        "Should the officer want anything else from you, they will write and tell you what.",
        "Keep an eye on your mailbox and on your online account for news from us.",
        "At present, your file is waiting its turn like the others received around the same time.",
        "We are not able to speed up a case simply because someone writes to us.",
    ],
    "es": [
        "Todavía no se ha decidido nada en su expediente y está con el equipo que atiende estas solicitudes.",
        "Los expedientes como el suyo avanzan uno por uno, empezando por los más antiguos.",
        "Cuánto tarda un caso depende de la carga de trabajo de la oficina que lo tiene.",
        "En cuanto pase algo con su solicitud, le llegará una carta.",
        "Por ahora no tiene que hacer nada más que esperar nuestra carta.",
        "Sus papeles están en nuestras manos y un oficial los verá cuando le toque.",
        "Sabemos que la espera ha sido larga y hacemos lo posible por avanzar.",
        "El cálculo de cuánto tardan los casos se actualiza cada mes en la página web.",
        "Si el oficial quiere algo más de usted, le escribirá para decirle qué.",
        "Esté pendiente de su buzón y de su cuenta en línea para recibir noticias nuestras.",
        "Por el momento, su expediente espera su turno como los demás que llegaron en las mismas fechas.",
        "No podemos acelerar un caso solo porque alguien nos escribe.",
    ],
}  # fmt: skip
CLOSING = {
    "en": ["Sincerely,\nContact Center", "Best regards,\nThe Contact Center team", "Kind regards.", "Respectfully,\nTier 2 Officer"],
    "es": ["Atentamente,\nCentro de Contacto", "Saludos cordiales,\nEl equipo del Centro de Contacto", "Cordialmente.", "Respetuosamente,\nOficial de Nivel 2"],
}  # fmt: skip

# --- News: concrete, case-specific facts and actions; several wordings of the same news ---
# Each kind: wordings (the same facts, said differently), in each language.
NEWS: dict[str, dict[str, list[str]]] = {
    "en": {
        "interview": [
            "We scheduled your interview for {date} at {time} at the {field}, {address}.",
            "Your interview is set for {date} at {time}; please go to the {field} at {address}.",
            "An officer will interview you at the {field} on {date} at {time}.",
        ],
        "transfer": [
            "On {date} we transferred your case to the {field} because it is closer to your new address.",
            "Your file was moved to the {field} on {date} since you now live in its area.",
            "We sent your case to the {field} on {date}, as you now live in that office's area.",
        ],
        "missing": [
            "Your file is missing the certified English translation of your birth certificate; please upload it in your online account or mail it to the {office} with the notice we sent.",
            "We still need a certified translation of your birth certificate: upload it online or mail it with a copy of our notice to the {office}.",
            "The one thing we do not have is the certified translation of your birth certificate, which you can send through your online account or by mail to the {office}.",
        ],
        "medical": [
            "Your Form I-693 medical exam expired on {date}; please send a new sealed I-693 from a civil surgeon to the {office}.",
            "The medical exam (I-693) in your file stopped being valid on {date}, so we need a new sealed one from a civil surgeon sent to the {office}.",
        ],
        "expedite_denied": [
            "We denied your expedite request on {date} because the job offer letter did not show a deadline or a loss you could not avoid.",
            "Your request to speed up the case was not approved on {date}: the offer letter you sent did not show a deadline or an unavoidable loss.",
        ],
        "expedite_approved": [
            "We approved your expedite request on {date} because of your mother's medical emergency, and an officer will decide your case within 30 days.",
            "On {date} we granted your request to expedite based on your mother's illness; expect a decision within 30 days.",
        ],
        "card_corrected": [
            "We ordered a corrected card with the right spelling of your last name on {date}.",
            "A new card with your last name spelled correctly was ordered on {date}.",
            "On {date} we requested production of a replacement card with your name fixed.",
        ],
        "card_mailed": [
            "Your card was mailed on {date} with USPS tracking number 9400 1000 0000 {tracking}.",
            "The Postal Service has your card since {date}; its tracking number is 9400 1000 0000 {tracking}.",
        ],
        "biometrics": [
            "We rescheduled your biometrics appointment to {date} at {time} at the {asc}.",
            "Your new fingerprint appointment is on {date} at {time} at the {asc}.",
            "You now have a biometrics appointment at the {asc} on {date} at {time}.",
        ],
        "rfe": [
            "We issued a Request for Evidence on {date} asking for proof of your joint finances with your spouse, and you have 87 days to answer.",
            "On {date} an officer sent you a request for evidence about your shared finances with your spouse; your answer is due within 87 days.",
        ],
        "address": [
            "We updated your mailing address on {date} and your card will be sent to {address}.",
            "Your address was changed on {date}, so the card will now go to {address}.",
        ],
        "approved": [
            "Your case was approved on {date} and your card is being produced.",
            "An officer approved your application on {date}; the card is now in production.",
        ],
        "oath": [
            "Your oath ceremony is scheduled for {date} at {time} at the {field}.",
            "You will take the oath of allegiance at the {field} on {date} at {time}.",
        ],
        "reopened": [
            "We reopened your case on {date} after finding that your response to our request was received on time.",
            "Your case was reopened on {date} because your reply to our request had arrived before the deadline.",
        ],
    },
    "es": {
        "interview": [
            "Programamos su entrevista para el {date} a las {time} en la {field}, {address}.",
            "Su entrevista quedó fijada para el {date} a las {time}; preséntese en la {field}, {address}.",
            "Un oficial lo entrevistará en la {field} el {date} a las {time}.",
        ],
        "transfer": [
            "El {date} transferimos su caso a la {field} porque queda más cerca de su nueva dirección.",
            "Su expediente se trasladó a la {field} el {date} porque ahora usted vive en su zona.",
            "Enviamos su caso a la {field} el {date}, ya que ahora vive en la zona de esa oficina.",
        ],
        "missing": [
            "En su expediente falta la traducción certificada al inglés de su acta de nacimiento; súbala en su cuenta en línea o envíela por correo al {office} con el aviso que le mandamos.",
            "Todavía necesitamos la traducción certificada de su acta de nacimiento: súbala en línea o envíela con una copia de nuestro aviso al {office}.",
            "Lo único que no tenemos es la traducción certificada de su acta de nacimiento, que puede mandar por su cuenta en línea o por correo al {office}.",
        ],
        "medical": [
            "Su examen médico (Formulario I-693) venció el {date}; envíe un I-693 nuevo y sellado por un cirujano civil al {office}.",
            "El examen médico (I-693) de su expediente dejó de ser válido el {date}, así que necesitamos uno nuevo y sellado de un cirujano civil enviado al {office}.",
        ],
        "expedite_denied": [
            "El {date} negamos su solicitud de trámite urgente porque la carta de oferta de trabajo no mostraba un plazo ni una pérdida inevitable.",
            "Su pedido de acelerar el caso no fue aprobado el {date}: la carta de oferta que envió no mostraba un plazo ni una pérdida inevitable.",
        ],
        "expedite_approved": [
            "El {date} aprobamos su solicitud de trámite urgente por la emergencia médica de su madre, y un oficial decidirá su caso en 30 días.",
            "El {date} concedimos su pedido de acelerar el caso por la enfermedad de su madre; espere una decisión en 30 días.",
        ],
        "card_corrected": [
            "El {date} ordenamos una tarjeta corregida con su apellido bien escrito.",
            "Se ordenó el {date} una tarjeta nueva con su apellido escrito correctamente.",
            "El {date} solicitamos la producción de una tarjeta de reemplazo con su nombre corregido.",
        ],
        "card_mailed": [
            "Su tarjeta se envió por correo el {date} con el número de rastreo de USPS 9400 1000 0000 {tracking}.",
            "El Servicio Postal tiene su tarjeta desde el {date}; su número de rastreo es 9400 1000 0000 {tracking}.",
        ],
        "biometrics": [
            "Reprogramamos su cita de datos biométricos para el {date} a las {time} en el {asc}.",
            "Su nueva cita de huellas es el {date} a las {time} en el {asc}.",
            "Ahora tiene una cita de biométricos en el {asc} el {date} a las {time}.",
        ],
        "rfe": [
            "El {date} emitimos una Solicitud de Evidencia que pide pruebas de sus finanzas compartidas con su cónyuge, y tiene 87 días para responder.",
            "El {date} un oficial le envió una solicitud de evidencia sobre sus finanzas compartidas con su cónyuge; debe responder en 87 días.",
        ],
        "address": [
            "El {date} actualizamos su dirección postal y su tarjeta se enviará a {address}.",
            "Su dirección se cambió el {date}, así que la tarjeta ahora irá a {address}.",
        ],
        "approved": [
            "Su caso fue aprobado el {date} y su tarjeta se está produciendo.",
            "Un oficial aprobó su solicitud el {date}; la tarjeta ya está en producción.",
        ],
        "oath": [
            "Su ceremonia de juramento está programada para el {date} a las {time} en la {field}.",
            "Usted prestará el juramento de lealtad en la {field} el {date} a las {time}.",
        ],
        "reopened": [
            "Reabrimos su caso el {date} al comprobar que su respuesta a nuestra solicitud llegó a tiempo.",
            "Su caso se reabrió el {date} porque su respuesta a nuestra solicitud había llegado antes del plazo.",
        ],
    },
}  # fmt: skip
NEWS_FOR_TOPIC = {
    "interview": ["interview", "transfer", "rfe", "medical", "reopened"],
    "card": ["card_mailed", "address", "approved", "card_corrected"],
    "biometrics": ["biometrics", "transfer"],
    "outside_time": ["interview", "rfe", "missing", "transfer", "approved", "medical", "oath"],
    "expedite": ["expedite_denied", "expedite_approved"],
    "evidence": ["missing", "medical", "rfe", "reopened"],
    "name_error": ["card_corrected", "card_mailed"],
}
# A sentence that refers back to an earlier response before repeating its news.
REFERS_BACK = {
    "en": ["As we said in our last message, ", "As mentioned before, ", "To repeat what we told you, ", ""],
    "es": ["Como le dijimos en nuestro último mensaje, ", "Como le mencionamos antes, ", "Le repetimos que ", ""],
}  # fmt: skip


def make_case(language: str, rng: random.Random) -> Case:
    first = rng.choice(FIRST)
    last = rng.choice(LAST)
    form = rng.choice(FORMS)
    office = rng.choice(OFFICES)
    field = rng.choice(FIELD_OFFICES)
    asc = rng.choice(ASC)
    filed = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(600))
    es = language == "es"
    return Case(
        language=language,
        name=f"{first} {last}",
        first=first,
        receipt=f"{office[0]}{rng.randrange(10**9, 10**10)}",
        form=form[0],
        form_name=form[2] if es else form[1],
        filed=filed,
        office=office[2] if es else office[1],
        field_office=field[1] if es else field[0],
        field_address=field[2],
        asc=asc[1] if es else asc[0],
        status=rng.choice(["Caso Recibido", "Caso en Revisión Activa"])
        if es
        else rng.choice(["Case Was Received", "Case Is Being Actively Reviewed"]),
        topic=rng.choice(list(NEWS_FOR_TOPIC)),
    )


def case_record(case: Case) -> list[str]:
    es = case.language == "es"
    return [
        case.receipt,
        f"{case.form}. {case.form_name}",
        case.filed.isoformat(),
        case.status,
        case.name,
        case.office,
    ] + ([f"Oficina local: {case.field_office}"] if es else [f"Field office: {case.field_office}"])


def fill_case(text: str, case: Case, rng: random.Random, **more: str) -> str:
    last = case.name.split()[-1]
    return text.format(
        name=case.name,
        first=case.first,
        last=last,
        receipt=case.receipt,
        form=case.form,
        form_name=case.form_name,
        filed=date_text(case.filed, case.language, rng.randrange(3)),
        office=case.office,
        status=case.status,
        filed_ago=str(rng.randrange(12, 30)),
        **more,
    )


def news_sentence(kind: str, wording: int, case: Case, facts: dict[str, str]) -> str:
    options = NEWS[case.language][kind]
    return options[wording % len(options)].format(**facts)


def news_facts(case: Case, rng: random.Random, style: int) -> dict[str, str]:
    day = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(330))
    hour = rng.choice([8, 9, 10, 11, 13, 14, 15])
    minute = rng.choice([0, 15, 30, 45])
    if case.language == "es":
        time = f"{hour}:{minute:02d}"
    else:
        time = f"{hour if hour <= 12 else hour - 12}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'}"
    return {
        "date": date_text(day, case.language, style),
        "time": time,
        "field": case.field_office,
        "address": rng.choice(
            ["1420 Elm Street, Apt. 3, Houston, TX 77002", "88 Ocean Drive, Miami, FL 33139",
             "4120 W. Grand Avenue, Chicago, IL 60651", "77 Mission Road, San Antonio, TX 78210"]
        ),
        "office": case.office,
        "asc": case.asc,
        "tracking": str(rng.randrange(10**7, 10**8)),
    }  # fmt: skip


def _pick(rng: random.Random, pool: list[str], count: int) -> list[str]:
    return rng.sample(pool, min(count, len(pool)))


def build_item(number: int, language: str, kind: str, rng: random.Random) -> dict[str, Any]:
    case = make_case(language, rng)
    request = fill_case(rng.choice(REQUESTS[language][case.topic]), case, rng)
    templates = rng.sample(TEMPLATES[language], 3)
    prior: list[str] = []
    sentences: list[str] = []
    label = "form_letter"
    greeting = fill_case(rng.choice(GREETING[language]), case, rng)
    closing = rng.choice(CLOSING[language])

    if kind == "template_form":
        body = fill(templates[0], case, rng)
        if rng.random() < 0.5:
            body += "\n" + fill_case(rng.choice(GENERIC[language]), case, rng)
        sentences = [body]
    elif kind == "polite_form":
        sentences = [greeting, *_pick(rng, THANKS[language], 2)]
        sentences += [fill_case(s, case, rng) for s in _pick(rng, ECHO_CASE[language], 2)]
        sentences.append(rng.choice(ECHO_REQUEST[language][case.topic]))
        sentences += _pick(rng, GENERIC[language], rng.randrange(3, 6))
        sentences.append(closing)
    elif kind == "paraphrase_form":
        sentences = [greeting, rng.choice(THANKS[language])]
        sentences += _pick(rng, PARAPHRASE[language], rng.randrange(3, 5))
        if rng.random() < 0.5:
            sentences.append(fill_case(rng.choice(ECHO_CASE[language]), case, rng))
        sentences.append(closing)
    elif kind == "repeat_form":
        news_kind = rng.choice(NEWS_FOR_TOPIC[case.topic])
        facts = news_facts(case, rng, 0)
        first_wording = rng.randrange(3)
        prior.append(
            greeting + "\n" + news_sentence(news_kind, first_wording, case, facts) + "\n" + closing
        )
        again = {**facts, "date": facts["date"]}
        if rng.random() < 0.5:  # the same date, written another way
            prior_day = _parse_day(facts["date"], language)
            again["date"] = date_text(prior_day, language, rng.choice([1, 2]))
        prefix = rng.choice(REFERS_BACK[language])
        repeat = news_sentence(news_kind, first_wording + 1, case, again)
        if prefix:
            repeat = prefix + _lower_first(repeat)
        sentences = [greeting, rng.choice(THANKS[language]), repeat]
        sentences += _pick(rng, GENERIC[language], rng.randrange(1, 4))
        sentences.append(closing)
    elif kind == "one_in_boilerplate":
        news_kind = rng.choice(NEWS_FOR_TOPIC[case.topic])
        facts = news_facts(case, rng, rng.randrange(3))
        news = news_sentence(news_kind, rng.randrange(3), case, facts)
        if rng.random() < 0.4:  # an earlier response with other news
            other = rng.choice([k for k in NEWS[language] if k != news_kind])
            prior.append(news_sentence(other, 0, case, news_facts(case, rng, 0)))
        filler = _pick(rng, GENERIC[language], rng.randrange(3, 6))
        filler += [fill_case(rng.choice(ECHO_CASE[language]), case, rng)]
        if rng.random() < 0.5:
            filler += _pick(rng, PARAPHRASE[language], 1)
        rng.shuffle(filler)
        at = rng.randrange(1, len(filler) + 1)
        sentences = [greeting, rng.choice(THANKS[language]), *filler[:at], news, *filler[at:]]
        sentences.append(closing)
        label = "new_information"
    elif kind == "plain_news":
        kinds = rng.sample(NEWS_FOR_TOPIC[case.topic], min(2, len(NEWS_FOR_TOPIC[case.topic])))
        sentences = [greeting]
        for news_kind in kinds[: rng.randrange(1, 3)]:
            facts = news_facts(case, rng, rng.randrange(3))
            sentences.append(news_sentence(news_kind, rng.randrange(3), case, facts))
        if rng.random() < 0.5:
            sentences.append(rng.choice(GENERIC[language]))
        sentences.append(closing)
        label = "new_information"
    else:
        raise ValueError(kind)
    return {
        "id": f"{language}-{number:03d}",
        "language": language,
        "kind": kind,
        "hard": kind in HARD,
        "label": label,
        "context": {
            "customer_request": request,
            "case_record": case_record(case),
            "templates": templates,
            "prior_responses": prior,
        },
        "body": "\n".join(sentences) if kind != "template_form" else sentences[0],
    }


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def _parse_day(text: str, language: str) -> dt.date:
    months = (MONTHS_ES if language == "es" else MONTHS_EN).split()
    if language == "es":
        day, _, month, _, year = text.split()
    else:
        month, day, year = text.replace(",", "").split()
    return dt.date(int(year), months.index(month) + 1, int(day))


HARD = ("polite_form", "paraphrase_form", "repeat_form", "one_in_boilerplate")
# Per language: 80 form letters (56 hard), 80 with news (45 hard).
PLAN = {
    "template_form": 24,
    "polite_form": 20,
    "paraphrase_form": 18,
    "repeat_form": 18,
    "one_in_boilerplate": 45,
    "plain_news": 35,
}


def build(seed: int = 10) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    for language in ("en", "es"):
        number = 0
        for kind, count in PLAN.items():
            for _ in range(count):
                number += 1
                items.append(build_item(number, language, kind, rng))
    return items


def main() -> None:
    items = build()
    with OUT.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} items written to {OUT}")


if __name__ == "__main__":
    main()
