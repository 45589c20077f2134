--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: audit_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE audit_head (
    id integer NOT NULL,
    last_id bigint NOT NULL,
    last_hash character varying(64) NOT NULL,
    CONSTRAINT audit_head_one_row CHECK ((id = 1))
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE audit_log (
    id bigint NOT NULL,
    at character varying(40) NOT NULL,
    actor character varying(200) NOT NULL,
    action character varying(64) NOT NULL,
    subject character varying(300) NOT NULL,
    payload text NOT NULL,
    prev_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL
);


--
-- Name: evaluation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE evaluation (
    id integer NOT NULL,
    submission_id integer NOT NULL,
    dossier_id character varying(200) NOT NULL,
    dossier_sha256 character varying(64) NOT NULL,
    ruleset_version_id integer NOT NULL,
    ruleset_sha256 character varying(64) NOT NULL,
    rubric_version_id integer NOT NULL,
    rubric_sha256 character varying(64) NOT NULL,
    engine character varying(32) NOT NULL,
    engine_version character varying(32) NOT NULL,
    as_of date NOT NULL,
    decision character varying(64) NOT NULL,
    passed boolean NOT NULL,
    score_exact character varying NOT NULL,
    score double precision NOT NULL,
    report_json text NOT NULL,
    batch_id character varying(200),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: evaluation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE evaluation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: evaluation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE evaluation_id_seq OWNED BY evaluation.id;


--
-- Name: finding; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE finding (
    id bigint NOT NULL,
    evaluation_id integer NOT NULL,
    criterion_id character varying(64) NOT NULL,
    criterion_sha256 character varying(64) NOT NULL,
    state character varying(32) NOT NULL,
    points double precision NOT NULL,
    max_points double precision NOT NULL,
    essential_failed boolean NOT NULL
);


--
-- Name: finding_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE finding_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: finding_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE finding_id_seq OWNED BY finding.id;


--
-- Name: rejection; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE rejection (
    id integer NOT NULL,
    input_file character varying NOT NULL,
    input_sha256 character varying(64) NOT NULL,
    dossier_id character varying(200),
    error text NOT NULL,
    batch_id character varying(200),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: rejection_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE rejection_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: rejection_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE rejection_id_seq OWNED BY rejection.id;


--
-- Name: review_action; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE review_action (
    id integer NOT NULL,
    evaluation_id integer NOT NULL,
    dossier_id character varying(200) NOT NULL,
    criterion_id character varying(64) NOT NULL,
    criterion_sha256 character varying(64) NOT NULL,
    state_before character varying(32) NOT NULL,
    kind character varying(16) NOT NULL,
    state character varying(32),
    reason text NOT NULL,
    reviewer character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires date,
    CONSTRAINT review_action_kind CHECK (((kind)::text = ANY ((ARRAY['override'::character varying, 'waiver'::character varying])::text[]))),
    CONSTRAINT review_action_state CHECK (((((kind)::text = 'override'::text) AND (state IS NOT NULL)) OR (((kind)::text = 'waiver'::text) AND (state IS NULL))))
);


--
-- Name: review_action_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE review_action_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: review_action_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE review_action_id_seq OWNED BY review_action.id;


--
-- Name: rubric_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE rubric_version (
    id integer NOT NULL,
    rubric_id character varying(64) NOT NULL,
    version character varying(32) NOT NULL,
    sha256 character varying(64) NOT NULL,
    title character varying NOT NULL,
    source character varying,
    content text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: rubric_version_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE rubric_version_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: rubric_version_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE rubric_version_id_seq OWNED BY rubric_version.id;


--
-- Name: ruleset_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE ruleset_version (
    id integer NOT NULL,
    ruleset_id character varying(64) NOT NULL,
    version character varying(32) NOT NULL,
    sha256 character varying(64) NOT NULL,
    title character varying NOT NULL,
    source character varying,
    content text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ruleset_version_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE ruleset_version_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ruleset_version_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE ruleset_version_id_seq OWNED BY ruleset_version.id;


--
-- Name: schema_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE schema_meta (
    id integer NOT NULL,
    application character varying(64) NOT NULL,
    version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    upgraded_at timestamp with time zone NOT NULL,
    CONSTRAINT schema_meta_one_row CHECK ((id = 1))
);


--
-- Name: submission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE submission (
    id integer NOT NULL,
    dossier_id character varying(200) NOT NULL,
    dossier_sha256 character varying(64) NOT NULL,
    dossier_json text NOT NULL,
    source_file character varying,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: submission_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE submission_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: submission_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE submission_id_seq OWNED BY submission.id;


--
-- Name: evaluation id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY evaluation ALTER COLUMN id SET DEFAULT nextval('evaluation_id_seq'::regclass);


--
-- Name: finding id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY finding ALTER COLUMN id SET DEFAULT nextval('finding_id_seq'::regclass);


--
-- Name: rejection id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY rejection ALTER COLUMN id SET DEFAULT nextval('rejection_id_seq'::regclass);


--
-- Name: review_action id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY review_action ALTER COLUMN id SET DEFAULT nextval('review_action_id_seq'::regclass);


--
-- Name: rubric_version id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY rubric_version ALTER COLUMN id SET DEFAULT nextval('rubric_version_id_seq'::regclass);


--
-- Name: ruleset_version id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY ruleset_version ALTER COLUMN id SET DEFAULT nextval('ruleset_version_id_seq'::regclass);


--
-- Name: submission id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY submission ALTER COLUMN id SET DEFAULT nextval('submission_id_seq'::regclass);


--
-- Data for Name: audit_head; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO audit_head VALUES (1, 9, '54063ca050d16a2b542d8956523cc7ca1b86b3b900cc0291594be5f8c0280a55');


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO audit_log VALUES (1, '2026-12-02T08:20:01.453267+00:00', 'root', 'store.create', 'store', '{"from_version":0,"to_version":1}', '0000000000000000000000000000000000000000000000000000000000000000', 'ef11593757e0eb03c643309c412f28555cae07db0ee4a328261a617ea3372277');
INSERT INTO audit_log VALUES (2, '2026-12-02T08:20:01.464705+00:00', 'root', 'ruleset.store', 'ruleset:qa-starter@1.0.0', '{"criteria":{"ST-AS-01":"19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9","ST-AS-02":"a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e","ST-AS-03":"b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9","ST-AS-04":"a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1","ST-CU-01":"636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0","ST-CU-02":"c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce","ST-CU-03":"42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c","ST-CU-04":"ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592","ST-IN-01":"7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300","ST-IN-02":"fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f","ST-OU-01":"fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5","ST-OU-02":"5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa","ST-QA-01":"8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b","ST-QA-02":"3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325","ST-QA-03":"ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8","ST-SU-01":"0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d","ST-TR-01":"242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27"},"ruleset_version_id":1,"sha256":"72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b","source":"/work/wt/lead/rulesets/qa-starter/1.0.0/ruleset.yaml"}', 'ef11593757e0eb03c643309c412f28555cae07db0ee4a328261a617ea3372277', '33e732c1a43358b91a4aacc17842208857a6e7232c428748514e08381f46fbfa');
INSERT INTO audit_log VALUES (3, '2026-12-02T08:20:01.467410+00:00', 'root', 'rubric.store', 'rubric:qa-starter@1.0.0', '{"rubric_version_id":1,"sha256":"4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926","source":"/work/wt/lead/rubrics/qa-starter/1.0.0.yaml"}', '33e732c1a43358b91a4aacc17842208857a6e7232c428748514e08381f46fbfa', 'eb5e2d346420a880c48b821df81b56ac590f9e5705dbb1f90c6d1cb13ca60252');
INSERT INTO audit_log VALUES (4, '2026-12-02T08:20:03.134625+00:00', 'root', 'rejection.record', 'rejection:1', '{"batch_id":"batch-f4d7f5f45ba34076be20f59d8bf00413","dossier_id":null,"error":"/tmp/v1fx/in/broken.yaml:3:6: invalid YAML: mapping values are not allowed here; fix the YAML syntax.","file":"/tmp/v1fx/in/broken.yaml","input_sha256":"115507cb227c3e94f871090e49e8bb6a85399e129dc2a0008feef0dae8e0d9c2"}', 'eb5e2d346420a880c48b821df81b56ac590f9e5705dbb1f90c6d1cb13ca60252', '64ee73bdfa3b1c4257bc38d60de07001bdb1ac57401add3a98b820a728ef997f');
INSERT INTO audit_log VALUES (5, '2026-12-02T08:20:03.388880+00:00', 'root', 'evaluation.record', 'evaluation:1', '{"as_of":"2026-01-01","batch_id":"batch-f4d7f5f45ba34076be20f59d8bf00413","decision":"accredited_with_conditions","dossier_id":"bootcamp-web-dev","dossier_sha256":"c85e40dfb1b599fb98316ade2acb4a6cfadf0b054107f75d55e461afcff6e3fe","engine":"durable","passed":true,"report_sha256":"88a3c11860c48733703855d3e27cfad1301c6e4ccb45cab56299ed72a0ee51af","rubric":"qa-starter@1.0.0","rubric_sha256":"4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926","ruleset":"qa-starter@1.0.0","ruleset_sha256":"72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b","score_exact":"2375/42","submission_id":1}', '64ee73bdfa3b1c4257bc38d60de07001bdb1ac57401add3a98b820a728ef997f', 'fb6bac19e6dbfc72482efa070864c14e545a6d6d1aba6c37480ff62d47e66c2a');
INSERT INTO audit_log VALUES (6, '2026-12-02T08:20:03.399599+00:00', 'root', 'evaluation.record', 'evaluation:2', '{"as_of":"2026-01-01","batch_id":"batch-f4d7f5f45ba34076be20f59d8bf00413","decision":"not_accredited","dossier_id":"mooc-intro-ai","dossier_sha256":"e4c08be5878c60b4b21c506f3121a281d533d23bf969b4f7434c4462c5bca201","engine":"durable","passed":false,"report_sha256":"373d2088456c7f875531dbb5c7420902ead5591b607b1990cd7c37c78077344b","rubric":"qa-starter@1.0.0","rubric_sha256":"4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926","ruleset":"qa-starter@1.0.0","ruleset_sha256":"72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b","score_exact":"4600/147","submission_id":2}', 'fb6bac19e6dbfc72482efa070864c14e545a6d6d1aba6c37480ff62d47e66c2a', 'f2619baa4aa1b74c5adadb2c4a4461d9ec65d296a448b091dc318910e0003f61');
INSERT INTO audit_log VALUES (7, '2026-12-02T08:20:03.399753+00:00', 'root', 'evaluation.record', 'evaluation:3', '{"as_of":"2026-01-01","batch_id":"batch-f4d7f5f45ba34076be20f59d8bf00413","decision":"accredited","dossier_id":"uni-data-analytics","dossier_sha256":"07a6e37008c66673a0dbba9ee6dc1df161b760fdd1109bd183e7525edcc2aa5a","engine":"durable","passed":true,"report_sha256":"048c8de7e65cd529aa76fb8f8e824a342eb77e53c02a5faf6d9a3faf6edd4e35","rubric":"qa-starter@1.0.0","rubric_sha256":"4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926","ruleset":"qa-starter@1.0.0","ruleset_sha256":"72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b","score_exact":"100","submission_id":3}', 'f2619baa4aa1b74c5adadb2c4a4461d9ec65d296a448b091dc318910e0003f61', '3ccc8e73a59e5d9175af9e9c1aa8ca2cd8cc493d0fdf24047a8efbd42821da3c');
INSERT INTO audit_log VALUES (8, '2026-12-02T08:20:04.622512+00:00', 'A. Jones', 'review.override', 'evaluation:1', '{"criterion_id":"ST-AS-01","criterion_sha256":"19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9","dossier_id":"bootcamp-web-dev","expires":null,"os_user":"root","reason":"outcome O4 assessed by the capstone (letter of 2026-01-05)","review_action_id":1,"state":"met","state_before":"partially_met"}', '3ccc8e73a59e5d9175af9e9c1aa8ca2cd8cc493d0fdf24047a8efbd42821da3c', 'caa078ab778964c9cc2f1f1587bafaf163607212eb7f5142dc00063350396fdc');
INSERT INTO audit_log VALUES (9, '2026-12-02T08:20:05.628648+00:00', 'B. Smith', 'review.waiver', 'evaluation:2', '{"criterion_id":"ST-IN-01","criterion_sha256":"7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300","dossier_id":"mooc-intro-ai","expires":"2027-06-30","os_user":"root","reason":"training scheduled","review_action_id":2,"state":null,"state_before":"unknown"}', 'caa078ab778964c9cc2f1f1587bafaf163607212eb7f5142dc00063350396fdc', '54063ca050d16a2b542d8956523cc7ca1b86b3b900cc0291594be5f8c0280a55');


--
-- Data for Name: evaluation; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO evaluation VALUES (1, 1, 'bootcamp-web-dev', 'c85e40dfb1b599fb98316ade2acb4a6cfadf0b054107f75d55e461afcff6e3fe', 1, '72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b', 1, '4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926', 'durable', '0.1.0', '2026-01-01', 'accredited_with_conditions', true, '2375/42', 56.54, '{
  "report_schema": "qa-engine.report/1",
  "engine_version": "0.1.0",
  "engine": "durable",
  "as_of": "2026-01-01",
  "decision": "accredited_with_conditions",
  "decision_label": "Accredited with conditions",
  "passed": true,
  "score": 56.54,
  "score_exact": "2375/42",
  "scoring_model": "weighted",
  "ruleset": {
    "id": "qa-starter",
    "version": "1.0.0",
    "sha256": "72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b",
    "title": "Starter quality check for short online programmes"
  },
  "rubric": {
    "id": "qa-starter",
    "version": "1.0.0",
    "sha256": "4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926",
    "title": "Starter rubric (three decision bands)"
  },
  "dossier": {
    "id": "bootcamp-web-dev",
    "sha256": "c85e40dfb1b599fb98316ade2acb4a6cfadf0b054107f75d55e461afcff6e3fe",
    "title": "Full-Stack Web Development Bootcamp",
    "provider": "CodeHarbour Academy GmbH",
    "file": "/tmp/v1fx/in/bootcamp-web-dev.yaml",
    "imported_from": null,
    "import_notes": []
  },
  "areas": [
    {
      "id": "transparency",
      "title": "Transparency",
      "score": 100.0,
      "points": 3.0,
      "max_points": 3.0,
      "weight": 1.0,
      "counted": 1,
      "failed": 0
    },
    {
      "id": "curriculum",
      "title": "Curriculum rigour",
      "score": 87.5,
      "points": 7.0,
      "max_points": 8.0,
      "weight": 1.0,
      "counted": 4,
      "failed": 1
    },
    {
      "id": "assessment",
      "title": "Assessment",
      "score": 33.33,
      "points": 2.0,
      "max_points": 6.0,
      "weight": 1.0,
      "counted": 3,
      "failed": 3
    },
    {
      "id": "outcomes",
      "title": "Learner outcomes",
      "score": 66.66,
      "points": 2.0,
      "max_points": 3.0,
      "weight": 1.0,
      "counted": 2,
      "failed": 1
    },
    {
      "id": "quality_assurance",
      "title": "Quality assurance",
      "score": 58.33,
      "points": 3.5,
      "max_points": 6.0,
      "weight": 1.0,
      "counted": 3,
      "failed": 2
    },
    {
      "id": "support",
      "title": "Learner support and accessibility",
      "score": 50.0,
      "points": 0.5,
      "max_points": 1.0,
      "weight": 1.0,
      "counted": 1,
      "failed": 1
    },
    {
      "id": "instruction",
      "title": "Instructional quality",
      "score": 0.0,
      "points": 0.0,
      "max_points": 2.0,
      "weight": 1.0,
      "counted": 2,
      "failed": 2
    }
  ],
  "essential_failures": [
    "ST-AS-01"
  ],
  "counts": {
    "met": 6,
    "not_applicable": 1,
    "not_met": 4,
    "partially_met": 6
  },
  "criteria": [
    {
      "id": "ST-AS-01",
      "title": "Every learning outcome is assessed",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "partially_met",
      "essential": true,
      "essential_failed": true,
      "weight": 3.0,
      "points": 1.5,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 4 items>",
          "source": null
        },
        {
          "path": "outcomes[0].assessed_by",
          "value": [
            "A1"
          ],
          "source": null
        },
        {
          "path": "assessments",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "outcomes[0].id",
          "value": "LO1",
          "source": null
        },
        {
          "path": "assessments[0].outcomes",
          "value": [
            "LO1"
          ],
          "source": null
        },
        {
          "path": "assessments[1].outcomes",
          "value": [
            "LO2"
          ],
          "source": null
        },
        {
          "path": "assessments[2].outcomes",
          "value": [
            "LO3"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].assessed_by",
          "value": [
            "A2"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].id",
          "value": "LO2",
          "source": null
        },
        {
          "path": "outcomes[2].assessed_by",
          "value": [
            "A3"
          ],
          "source": null
        },
        {
          "path": "outcomes[2].id",
          "value": "LO3",
          "source": null
        },
        {
          "path": "outcomes[3].assessed_by",
          "value": [],
          "source": null
        },
        {
          "path": "outcomes[3].id",
          "value": "LO4",
          "source": null
        }
      ],
      "explanation": "partially met: share(o in outcomes: ...) = 0.75, required >= 0.75; short of met: no item of assessments holds (3 items): outcomes[3].id = \"LO4\", assessments[0].outcomes = [\"LO1\"], required outcomes[3].id in assessments[0].outcomes; outcom...",
      "condition": "share(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes)) >= 0.75",
      "parts": [
        {
          "text": "share(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes)) >= 0.75",
          "held": true,
          "detail": "share(o in outcomes: ...) = 0.75, required >= 0.75"
        }
      ],
      "rationale": "A credential certifies its outcomes; an outcome that no assessment checks is certified without evidence that the holder achieved it.",
      "remediation": "Assess every outcome: list the assessments that assess it (outcomes[].assessed_by) or the outcomes each assessment covers (assessments[].outcomes).",
      "references": [
        {
          "title": "ESG 2015, standard 1.3 (student-centred learning, teaching and assessment)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9",
      "review": null
    },
    {
      "id": "ST-AS-02",
      "title": "Assessment weights add up to 100%",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 0.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "assessments",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "assessments[0].weight",
          "value": 0.3,
          "source": null
        },
        {
          "path": "assessments[1].weight",
          "value": 0.3,
          "source": null
        },
        {
          "path": "assessments[2].weight",
          "value": 0.3,
          "source": null
        }
      ],
      "explanation": "not met: sum(a in assessments: ...) = 0.9, required >= 0.999",
      "condition": "count(assessments) > 0 and all(a in assessments: exists(a.weight)) and sum(a in assessments: a.weight) >= 0.999 and sum(a in assessments: a.weight) <= 1.001",
      "parts": [
        {
          "text": "count(assessments) > 0",
          "held": true,
          "detail": "count(assessments) = 3, required > 0"
        },
        {
          "text": "all(a in assessments: exists(a.weight))",
          "held": true,
          "detail": "all 3 items of assessments hold"
        },
        {
          "text": "sum(a in assessments: a.weight) >= 0.999",
          "held": false,
          "detail": "sum(a in assessments: ...) = 0.9, required >= 0.999"
        },
        {
          "text": "sum(a in assessments: a.weight) <= 1.001",
          "held": true,
          "detail": "sum(a in assessments: ...) = 0.9, required <= 1.001"
        }
      ],
      "rationale": "Learners must know how each assessment counts towards the result; weights that do not add up to 100% leave part of the grade undefined.",
      "remediation": "Give every assessment a weight (a fraction, e.g. 0.3) and make the weights add up to 1.",
      "references": [],
      "error": null,
      "sha256": "a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e",
      "review": null
    },
    {
      "id": "ST-AS-03",
      "title": "Identity verification matches the supervision the credential claims",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "not_applicable",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 0.0,
      "max_points": 0.0,
      "evidence": [
        {
          "path": "credential.supervision",
          "value": "supervised_no_id",
          "source": null
        }
      ],
      "explanation": "not applicable: credential.supervision = \"supervised_no_id\", required == \"supervised_with_id\"",
      "condition": "exists(credential.supervision) and credential.supervision == \"supervised_with_id\"",
      "parts": [
        {
          "text": "exists(credential.supervision)",
          "held": true,
          "detail": "credential.supervision = \"supervised_no_id\""
        },
        {
          "text": "credential.supervision == \"supervised_with_id\"",
          "held": false,
          "detail": "credential.supervision = \"supervised_no_id\", required == \"supervised_with_id\""
        }
      ],
      "rationale": "A credential that states its assessment was supervised with identity verification must rest on at least one assessment where that actually happened.",
      "remediation": "Record the supervised, identity-verified assessment (assessments[].supervision and identity_verified), or state the supervision level the assessments really have.",
      "references": [],
      "error": null,
      "sha256": "b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9",
      "review": null
    },
    {
      "id": "ST-AS-04",
      "title": "Assessment criteria are published to learners",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "partially_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.5,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "assessments",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "assessments[0].rubric_published",
          "value": true,
          "source": null
        },
        {
          "path": "assessments[1].rubric_published",
          "value": false,
          "source": null
        },
        {
          "path": "assessments[2].rubric_published",
          "value": true,
          "source": null
        }
      ],
      "explanation": "partially met: assessments[0].rubric_published = true, required == true; assessments[2].rubric_published = true, required == true; short of met: assessments[1].rubric_published = false, required == true",
      "condition": "any(a in assessments: a.rubric_published == true)",
      "parts": [
        {
          "text": "any(a in assessments: a.rubric_published == true)",
          "held": true,
          "detail": "assessments[0].rubric_published = true, required == true; assessments[2].rubric_published = true, required == true"
        }
      ],
      "rationale": "Learners can only prepare for and contest an assessment whose criteria they know in advance.",
      "remediation": "Publish the marking criteria or rubric of every assessment to learners and record it (assessments[].rubric_published).",
      "references": [],
      "error": null,
      "sha256": "a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1",
      "review": null
    },
    {
      "id": "ST-CU-01",
      "title": "Learning outcomes are stated",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 4 items>",
          "source": null
        }
      ],
      "explanation": "met: count(outcomes) = 4, required >= 3",
      "condition": "count(outcomes) >= 3",
      "parts": [
        {
          "text": "count(outcomes) >= 3",
          "held": true,
          "detail": "count(outcomes) = 4, required >= 3"
        }
      ],
      "rationale": "Learning outcomes are what the credential certifies; without at least a few explicit outcomes nobody can tell what a holder knows or can do.",
      "remediation": "State at least three learning outcomes under `outcomes`, each with an observable action verb; add the cognitive (Bloom) level and an ESCO skill reference to reach exemplary.",
      "references": [
        {
          "title": "ESG 2015, standard 1.2 (design and approval of programmes)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0",
      "review": null
    },
    {
      "id": "ST-CU-02",
      "title": "Workload is stated in ECTS and consistent with the hours (25-30 hours per credit)",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "partially_met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 1.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "credential.workload.ects",
          "value": null,
          "source": null
        },
        {
          "path": "credential.workload.hours",
          "value": 360.0,
          "source": null
        }
      ],
      "explanation": "partially met: credential.workload.hours = 360; short of met: credential.workload.ects is missing",
      "condition": "exists(credential.workload.ects) or exists(credential.workload.hours)",
      "parts": [
        {
          "text": "exists(credential.workload.ects)",
          "held": false,
          "detail": "credential.workload.ects is missing"
        },
        {
          "text": "exists(credential.workload.hours)",
          "held": true,
          "detail": "credential.workload.hours = 360"
        }
      ],
      "rationale": "Notional workload lets learners and institutions compare and stack credentials; one ECTS credit corresponds to 25 to 30 hours of learning, so stated credits and hours must agree.",
      "remediation": "Give the workload as ECTS credits and notional hours under credential.workload, with hours between 25 and 30 times the credits.",
      "references": [
        {
          "title": "ECTS Users'' Guide 2015",
          "id": "ects-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce",
      "review": null
    },
    {
      "id": "ST-CU-03",
      "title": "Every learning outcome is covered by a module",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 4 items>",
          "source": null
        },
        {
          "path": "modules",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "outcomes[0].id",
          "value": "LO1",
          "source": null
        },
        {
          "path": "modules[0].outcomes",
          "value": [
            "LO1"
          ],
          "source": null
        },
        {
          "path": "modules[1].outcomes",
          "value": [
            "LO2",
            "LO4"
          ],
          "source": null
        },
        {
          "path": "modules[2].outcomes",
          "value": [
            "LO3",
            "LO4"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].id",
          "value": "LO2",
          "source": null
        },
        {
          "path": "outcomes[2].id",
          "value": "LO3",
          "source": null
        },
        {
          "path": "outcomes[3].id",
          "value": "LO4",
          "source": null
        }
      ],
      "explanation": "met: count(outcomes) = 4, required > 0; all 4 items of outcomes hold",
      "condition": "count(outcomes) > 0 and all(o in outcomes: any(m in modules: o.id in m.outcomes))",
      "parts": [
        {
          "text": "count(outcomes) > 0",
          "held": true,
          "detail": "count(outcomes) = 4, required > 0"
        },
        {
          "text": "all(o in outcomes: any(m in modules: o.id in m.outcomes))",
          "held": true,
          "detail": "all 4 items of outcomes hold"
        }
      ],
      "rationale": "An outcome that no module teaches is certified without being taught; coverage shows the curriculum was designed from its outcomes.",
      "remediation": "Map each outcome to at least one module (modules[].outcomes), or remove outcomes the programme does not teach.",
      "references": [],
      "error": null,
      "sha256": "42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c",
      "review": null
    },
    {
      "id": "ST-CU-04",
      "title": "Outcomes reach a cognitive level that fits the stated EQF level",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "credential.level.eqf",
          "value": 5,
          "source": null
        },
        {
          "path": "outcomes",
          "value": "<list of 4 items>",
          "source": null
        },
        {
          "path": "outcomes[0].bloom_level",
          "value": 3,
          "source": null
        },
        {
          "path": "outcomes[1].bloom_level",
          "value": 3,
          "source": null
        },
        {
          "path": "outcomes[2].bloom_level",
          "value": 6,
          "source": null
        },
        {
          "path": "outcomes[3].bloom_level",
          "value": 3,
          "source": null
        }
      ],
      "explanation": "met: max(o in outcomes: ...) = 6, required >= 4",
      "condition": "credential.level.eqf < 5 or max(o in outcomes: o.bloom_level) >= 4",
      "parts": [
        {
          "text": "credential.level.eqf < 5",
          "held": false,
          "detail": "credential.level.eqf = 5, required < 5"
        },
        {
          "text": "max(o in outcomes: o.bloom_level) >= 4",
          "held": true,
          "detail": "max(o in outcomes: ...) = 6, required >= 4"
        }
      ],
      "rationale": "EQF level 5 and above describes learners who analyse, evaluate and create; a programme claiming such a level needs outcomes at that cognitive level, not only recall.",
      "remediation": "Give each outcome its Bloom level (outcomes[].bloom_level); at EQF 5 or above include at least one outcome at level 4 (analyse) or higher, or lower the claimed EQF level.",
      "references": [
        {
          "title": "Council Recommendation of 22 May 2017 on the European Qualifications Framework, Annex II",
          "id": null,
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592",
      "review": null
    },
    {
      "id": "ST-IN-01",
      "title": "Teaching staff are trained to teach online",
      "area": "instruction",
      "area_title": "Instructional quality",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "staff",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "staff[0].online_teaching_training",
          "value": false,
          "source": null
        },
        {
          "path": "staff[1].online_teaching_training",
          "value": false,
          "source": null
        },
        {
          "path": "staff[2].online_teaching_training",
          "value": false,
          "source": null
        }
      ],
      "explanation": "not met: staff[0].online_teaching_training = false, required == true; staff[1].online_teaching_training = false, required == true; staff[2].online_teaching_training = false, required == true",
      "condition": "count(staff) > 0 and all(s in staff: s.online_teaching_training == true)",
      "parts": [
        {
          "text": "count(staff) > 0",
          "held": true,
          "detail": "count(staff) = 3, required > 0"
        },
        {
          "text": "all(s in staff: s.online_teaching_training == true)",
          "held": false,
          "detail": "staff[0].online_teaching_training = false, required == true; staff[1].online_teaching_training = false, required == true; staff[2].online_teaching_training = false, required == true"
        }
      ],
      "rationale": "Teaching online well is a skill of its own; trained staff design better interaction and support.",
      "remediation": "Train every teacher of an online or blended programme in online pedagogy and record it (staff[].online_teaching_training).",
      "references": [],
      "error": null,
      "sha256": "7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300",
      "review": null
    },
    {
      "id": "ST-IN-02",
      "title": "The programme is coherent (outcomes stated, taught and assessed)",
      "area": "instruction",
      "area_title": "Instructional quality",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 1.0,
      "evidence": [],
      "explanation": "not met: criterion ST-AS-01 is partially_met, required met or exemplary",
      "condition": "met(\"ST-CU-01\") and met(\"ST-CU-03\") and met(\"ST-AS-01\")",
      "parts": [
        {
          "text": "met(\"ST-CU-01\")",
          "held": true,
          "detail": "criterion ST-CU-01 is met"
        },
        {
          "text": "met(\"ST-CU-03\")",
          "held": true,
          "detail": "criterion ST-CU-03 is met"
        },
        {
          "text": "met(\"ST-AS-01\")",
          "held": false,
          "detail": "criterion ST-AS-01 is partially_met, required met or exemplary"
        }
      ],
      "rationale": "Outcomes, teaching and assessment must line up (constructive alignment); this criterion follows from the three that check each link.",
      "remediation": "Meet ST-CU-01, ST-CU-03 and ST-AS-01.",
      "references": [],
      "error": null,
      "sha256": "fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f",
      "review": null
    },
    {
      "id": "ST-OU-01",
      "title": "Completion rate of every cohort",
      "area": "outcomes",
      "area_title": "Learner outcomes",
      "state": "partially_met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 1.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "cohorts",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "cohorts[0].completed",
          "value": 22,
          "source": null
        },
        {
          "path": "cohorts[0].enrolled",
          "value": 40,
          "source": null
        },
        {
          "path": "cohorts[1].completed",
          "value": 20,
          "source": null
        },
        {
          "path": "cohorts[1].enrolled",
          "value": 36,
          "source": null
        },
        {
          "path": "cohorts[2].completed",
          "value": 23,
          "source": null
        },
        {
          "path": "cohorts[2].enrolled",
          "value": 42,
          "source": null
        }
      ],
      "explanation": "partially met: min(c in cohorts: ...) = 0.547619, required >= 0.4; short of met: min(c in cohorts: ...) = 0.547619, required >= 0.6",
      "condition": "min(c in cohorts: c.completed / c.enrolled) >= 0.4",
      "parts": [
        {
          "text": "min(c in cohorts: c.completed / c.enrolled) >= 0.4",
          "held": true,
          "detail": "min(c in cohorts: ...) = 0.547619, required >= 0.4"
        }
      ],
      "rationale": "Completion is the plainest signal that the workload, support and design fit the learners the programme admits; a new programme without cohorts stays unknown rather than failing.",
      "remediation": "Report enrolled and completed learners per cohort (cohorts[]); where completion is below 60%, analyse drop-out points and strengthen support or adjust the workload.",
      "references": [],
      "error": null,
      "sha256": "fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5",
      "review": null
    },
    {
      "id": "ST-OU-02",
      "title": "Learner satisfaction with a representative survey response",
      "area": "outcomes",
      "area_title": "Learner outcomes",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "cohorts",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "cohorts[0].satisfaction",
          "value": 0.78,
          "source": null
        },
        {
          "path": "cohorts[1].satisfaction",
          "value": 0.8,
          "source": null
        },
        {
          "path": "cohorts[2].satisfaction",
          "value": 0.76,
          "source": null
        },
        {
          "path": "cohorts[0].survey_response_rate",
          "value": 0.45,
          "source": null
        },
        {
          "path": "cohorts[1].survey_response_rate",
          "value": 0.5,
          "source": null
        },
        {
          "path": "cohorts[2].survey_response_rate",
          "value": 0.4,
          "source": null
        }
      ],
      "explanation": "met: min(c in cohorts: ...) = 0.76, required >= 0.75; min(c in cohorts: ...) = 0.4, required >= 0.3",
      "condition": "min(c in cohorts: c.satisfaction) >= 0.75 and min(c in cohorts: c.survey_response_rate) >= 0.3",
      "parts": [
        {
          "text": "min(c in cohorts: c.satisfaction) >= 0.75",
          "held": true,
          "detail": "min(c in cohorts: ...) = 0.76, required >= 0.75"
        },
        {
          "text": "min(c in cohorts: c.survey_response_rate) >= 0.3",
          "held": true,
          "detail": "min(c in cohorts: ...) = 0.4, required >= 0.3"
        }
      ],
      "rationale": "Satisfaction figures mean little when few learners answer; both the level and the response rate are needed.",
      "remediation": "Survey every cohort, report satisfaction (0-1) and the response rate; act on low scores and raise response rates above 30%.",
      "references": [],
      "error": null,
      "sha256": "5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa",
      "review": null
    },
    {
      "id": "ST-QA-01",
      "title": "Internal review at least every two years, the last one within two years",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "quality_assurance.internal_review_cycle_months",
          "value": 6,
          "source": null
        },
        {
          "path": "quality_assurance.last_internal_review",
          "value": "2024-11-30",
          "source": null
        }
      ],
      "explanation": "met: quality_assurance.internal_review_cycle_months = 6; quality_assurance.last_internal_review = 2024-11-30; quality_assurance.internal_review_cycle_months = 6, required <= 24; days_since(quality_assurance.last_internal_review) = 397, required <= 730",
      "condition": "exists(quality_assurance.internal_review_cycle_months) and exists(quality_assurance.last_internal_review) and quality_assurance.internal_review_cycle_months <= 24 and days_since(quality_assurance.last_internal_review) <= 730",
      "parts": [
        {
          "text": "exists(quality_assurance.internal_review_cycle_months)",
          "held": true,
          "detail": "quality_assurance.internal_review_cycle_months = 6"
        },
        {
          "text": "exists(quality_assurance.last_internal_review)",
          "held": true,
          "detail": "quality_assurance.last_internal_review = 2024-11-30"
        },
        {
          "text": "quality_assurance.internal_review_cycle_months <= 24",
          "held": true,
          "detail": "quality_assurance.internal_review_cycle_months = 6, required <= 24"
        },
        {
          "text": "days_since(quality_assurance.last_internal_review) <= 730",
          "held": true,
          "detail": "days_since(quality_assurance.last_internal_review) = 397, required <= 730"
        }
      ],
      "rationale": "Programmes drift; a regular internal review that has actually happened recently is the base of every quality-assurance framework.",
      "remediation": "Review the programme internally at least every 24 months and record the cycle and the date of the last review under quality_assurance.",
      "references": [
        {
          "title": "ESG 2015, standard 1.9 (on-going monitoring and periodic review of programmes)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b",
      "review": null
    },
    {
      "id": "ST-QA-02",
      "title": "External quality review within the last five years",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 0.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "quality_assurance.external_body",
          "value": null,
          "source": null
        },
        {
          "path": "quality_assurance.external_last_review",
          "value": null,
          "source": null
        }
      ],
      "explanation": "not met: quality_assurance.external_body is missing; quality_assurance.external_last_review is missing",
      "condition": "exists(quality_assurance.external_body) and exists(quality_assurance.external_last_review) and years_since(quality_assurance.external_last_review) <= 5",
      "parts": [
        {
          "text": "exists(quality_assurance.external_body)",
          "held": false,
          "detail": "quality_assurance.external_body is missing"
        },
        {
          "text": "exists(quality_assurance.external_last_review)",
          "held": false,
          "detail": "quality_assurance.external_last_review is missing"
        },
        {
          "text": "years_since(quality_assurance.external_last_review) <= 5",
          "held": null,
          "detail": "quality_assurance.external_last_review is missing"
        }
      ],
      "rationale": "External review by a recognised body is what makes internal quality claims credible to others.",
      "remediation": "Have the programme or the provider reviewed by an external QA body and record the body and date (quality_assurance.external_body, external_last_review).",
      "references": [],
      "error": null,
      "sha256": "3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325",
      "review": null
    },
    {
      "id": "ST-QA-03",
      "title": "Learner feedback has led to documented changes",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "partially_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.5,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "quality_assurance.feedback_changes",
          "value": "<list of 1 item>",
          "source": null
        }
      ],
      "explanation": "partially met: quality_assurance.feedback_changes has 1 item; short of met: count(quality_assurance.feedback_changes) = 1, required >= 2",
      "condition": "not empty(quality_assurance.feedback_changes)",
      "parts": [
        {
          "text": "empty(quality_assurance.feedback_changes)",
          "held": false,
          "detail": "quality_assurance.feedback_changes has 1 item"
        }
      ],
      "rationale": "Collecting feedback matters only when it changes the programme; documented changes close the loop.",
      "remediation": "Record what learners said and what was changed in response (quality_assurance.feedback_changes).",
      "references": [],
      "error": null,
      "sha256": "ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8",
      "review": null
    },
    {
      "id": "ST-SU-01",
      "title": "The learning environment claims WCAG 2.1 AA conformance",
      "area": "support",
      "area_title": "Learner support and accessibility",
      "state": "partially_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.5,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "support.accessibility.wcag_level",
          "value": "A",
          "source": null
        }
      ],
      "explanation": "partially met: support.accessibility.wcag_level = \"A\"; support.accessibility.wcag_level = \"A\", required == \"A\"; short of met: support.accessibility.wcag_level = \"A\", required in [\"AA\", \"AAA\"]",
      "condition": "exists(support.accessibility.wcag_level) and support.accessibility.wcag_level == \"A\"",
      "parts": [
        {
          "text": "exists(support.accessibility.wcag_level)",
          "held": true,
          "detail": "support.accessibility.wcag_level = \"A\""
        },
        {
          "text": "support.accessibility.wcag_level == \"A\"",
          "held": true,
          "detail": "support.accessibility.wcag_level = \"A\", required == \"A\""
        }
      ],
      "rationale": "Online learners with disabilities depend on an accessible platform and materials; AA is the level the European accessibility rules require of public bodies.",
      "remediation": "Audit the platform and materials against WCAG 2.1 AA, publish an accessibility statement and record the level under support.accessibility.",
      "references": [
        {
          "title": "Web Content Accessibility Guidelines (WCAG) 2.1",
          "id": null,
          "url": "https://www.w3.org/TR/WCAG21/",
          "section": null
        }
      ],
      "error": null,
      "sha256": "0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d",
      "review": null
    },
    {
      "id": "ST-TR-01",
      "title": "The credential names its title, awarding body and issuer country",
      "area": "transparency",
      "area_title": "Transparency",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "credential.title",
          "value": "Certificate in Full-Stack Web Development",
          "source": null
        },
        {
          "path": "credential.awarding_bodies",
          "value": "<list of 1 item>",
          "source": null
        },
        {
          "path": "credential.issuer_countries",
          "value": [
            "DE"
          ],
          "source": null
        }
      ],
      "explanation": "met: credential.title = \"Certificate in Full-Stack Web Development\"; credential.awarding_bodies has 1 item; credential.issuer_countries has 1 item",
      "condition": "not empty(credential.title) and not empty(credential.awarding_bodies) and not empty(credential.issuer_countries)",
      "parts": [
        {
          "text": "empty(credential.title)",
          "held": false,
          "detail": "credential.title = \"Certificate in Full-Stack Web Development\""
        },
        {
          "text": "empty(credential.awarding_bodies)",
          "held": false,
          "detail": "credential.awarding_bodies has 1 item"
        },
        {
          "text": "empty(credential.issuer_countries)",
          "held": false,
          "detail": "credential.issuer_countries has 1 item"
        }
      ],
      "rationale": "An employer or another institution can only trust a micro-credential whose title, awarding body and country of issue are stated on it; these are mandatory elements of the EU standard.",
      "remediation": "Fill in credential.title, list every awarding body under credential.awarding_bodies and the issuer''s country or countries under credential.issuer_countries.",
      "references": [
        {
          "title": "Council Recommendation 2022/C 243/02, Annex I, mandatory elements",
          "id": "eu-2022-c243-02",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27",
      "review": null
    }
  ],
  "fixes": [
    {
      "criterion": "ST-AS-01",
      "title": "Every learning outcome is assessed",
      "area": "assessment",
      "state": "partially_met",
      "essential": true,
      "clears_essential": true,
      "gain": 3.57,
      "in_plan": true
    },
    {
      "criterion": "ST-IN-01",
      "title": "Teaching staff are trained to teach online",
      "area": "instruction",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 7.14,
      "in_plan": true
    },
    {
      "criterion": "ST-IN-02",
      "title": "The programme is coherent (outcomes stated, taught and assessed)",
      "area": "instruction",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 7.14,
      "in_plan": true
    },
    {
      "criterion": "ST-SU-01",
      "title": "The learning environment claims WCAG 2.1 AA conformance",
      "area": "support",
      "state": "partially_met",
      "essential": false,
      "clears_essential": false,
      "gain": 7.14,
      "in_plan": true
    },
    {
      "criterion": "ST-AS-02",
      "title": "Assessment weights add up to 100%",
      "area": "assessment",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 4.76,
      "in_plan": true
    },
    {
      "criterion": "ST-OU-01",
      "title": "Completion rate of every cohort",
      "area": "outcomes",
      "state": "partially_met",
      "essential": false,
      "clears_essential": false,
      "gain": 4.76,
      "in_plan": false
    },
    {
      "criterion": "ST-QA-02",
      "title": "External quality review within the last five years",
      "area": "quality_assurance",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 4.76,
      "in_plan": false
    },
    {
      "criterion": "ST-CU-02",
      "title": "Workload is stated in ECTS and consistent with the hours (25-30 hours per credit)",
      "area": "curriculum",
      "state": "partially_met",
      "essential": false,
      "clears_essential": false,
      "gain": 1.78,
      "in_plan": false
    },
    {
      "criterion": "ST-AS-04",
      "title": "Assessment criteria are published to learners",
      "area": "assessment",
      "state": "partially_met",
      "essential": false,
      "clears_essential": false,
      "gain": 1.19,
      "in_plan": false
    },
    {
      "criterion": "ST-QA-03",
      "title": "Learner feedback has led to documented changes",
      "area": "quality_assurance",
      "state": "partially_met",
      "essential": false,
      "clears_essential": false,
      "gain": 1.19,
      "in_plan": false
    }
  ],
  "next_decision": {
    "decision": "accredited",
    "label": "Accredited",
    "reachable": true,
    "fixes_needed": 5
  },
  "notes": [],
  "review": null
}
', 'batch-f4d7f5f45ba34076be20f59d8bf00413', '2026-12-02 08:20:03.380042+00');
INSERT INTO evaluation VALUES (2, 2, 'mooc-intro-ai', 'e4c08be5878c60b4b21c506f3121a281d533d23bf969b4f7434c4462c5bca201', 1, '72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b', 1, '4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926', 'durable', '0.1.0', '2026-01-01', 'not_accredited', false, '4600/147', 31.29, '{
  "report_schema": "qa-engine.report/1",
  "engine_version": "0.1.0",
  "engine": "durable",
  "as_of": "2026-01-01",
  "decision": "not_accredited",
  "decision_label": "Not accredited",
  "passed": false,
  "score": 31.29,
  "score_exact": "4600/147",
  "scoring_model": "weighted",
  "ruleset": {
    "id": "qa-starter",
    "version": "1.0.0",
    "sha256": "72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b",
    "title": "Starter quality check for short online programmes"
  },
  "rubric": {
    "id": "qa-starter",
    "version": "1.0.0",
    "sha256": "4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926",
    "title": "Starter rubric (three decision bands)"
  },
  "dossier": {
    "id": "mooc-intro-ai",
    "sha256": "e4c08be5878c60b4b21c506f3121a281d533d23bf969b4f7434c4462c5bca201",
    "title": "Introduction to Artificial Intelligence",
    "provider": "OpenLearn Global",
    "file": "/tmp/v1fx/in/mooc-intro-ai.yaml",
    "imported_from": null,
    "import_notes": []
  },
  "areas": [
    {
      "id": "transparency",
      "title": "Transparency",
      "score": 0.0,
      "points": 0.0,
      "max_points": 3.0,
      "weight": 1.0,
      "counted": 1,
      "failed": 1
    },
    {
      "id": "curriculum",
      "title": "Curriculum rigour",
      "score": 85.71,
      "points": 6.0,
      "max_points": 7.0,
      "weight": 1.0,
      "counted": 3,
      "failed": 1
    },
    {
      "id": "assessment",
      "title": "Assessment",
      "score": 83.33,
      "points": 5.0,
      "max_points": 6.0,
      "weight": 1.0,
      "counted": 3,
      "failed": 1
    },
    {
      "id": "outcomes",
      "title": "Learner outcomes",
      "score": 0.0,
      "points": 0.0,
      "max_points": 3.0,
      "weight": 1.0,
      "counted": 2,
      "failed": 2
    },
    {
      "id": "quality_assurance",
      "title": "Quality assurance",
      "score": 0.0,
      "points": 0.0,
      "max_points": 6.0,
      "weight": 1.0,
      "counted": 3,
      "failed": 3
    },
    {
      "id": "support",
      "title": "Learner support and accessibility",
      "score": 0.0,
      "points": 0.0,
      "max_points": 1.0,
      "weight": 1.0,
      "counted": 1,
      "failed": 1
    },
    {
      "id": "instruction",
      "title": "Instructional quality",
      "score": 50.0,
      "points": 1.0,
      "max_points": 2.0,
      "weight": 1.0,
      "counted": 2,
      "failed": 1
    }
  ],
  "essential_failures": [
    "ST-QA-01",
    "ST-TR-01"
  ],
  "counts": {
    "met": 5,
    "not_applicable": 2,
    "not_met": 7,
    "partially_met": 1,
    "unknown": 2
  },
  "criteria": [
    {
      "id": "ST-QA-01",
      "title": "Internal review at least every two years, the last one within two years",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "not_met",
      "essential": true,
      "essential_failed": true,
      "weight": 3.0,
      "points": 0.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "quality_assurance.internal_review_cycle_months",
          "value": null,
          "source": null
        },
        {
          "path": "quality_assurance.last_internal_review",
          "value": null,
          "source": null
        }
      ],
      "explanation": "not met: quality_assurance.internal_review_cycle_months is missing; quality_assurance.last_internal_review is missing",
      "condition": "exists(quality_assurance.internal_review_cycle_months) and exists(quality_assurance.last_internal_review) and quality_assurance.internal_review_cycle_months <= 24 and days_since(quality_assurance.last_internal_review) <= 730",
      "parts": [
        {
          "text": "exists(quality_assurance.internal_review_cycle_months)",
          "held": false,
          "detail": "quality_assurance.internal_review_cycle_months is missing"
        },
        {
          "text": "exists(quality_assurance.last_internal_review)",
          "held": false,
          "detail": "quality_assurance.last_internal_review is missing"
        },
        {
          "text": "quality_assurance.internal_review_cycle_months <= 24",
          "held": null,
          "detail": "quality_assurance.internal_review_cycle_months is missing"
        },
        {
          "text": "days_since(quality_assurance.last_internal_review) <= 730",
          "held": null,
          "detail": "quality_assurance.last_internal_review is missing"
        }
      ],
      "rationale": "Programmes drift; a regular internal review that has actually happened recently is the base of every quality-assurance framework.",
      "remediation": "Review the programme internally at least every 24 months and record the cycle and the date of the last review under quality_assurance.",
      "references": [
        {
          "title": "ESG 2015, standard 1.9 (on-going monitoring and periodic review of programmes)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b",
      "review": null
    },
    {
      "id": "ST-TR-01",
      "title": "The credential names its title, awarding body and issuer country",
      "area": "transparency",
      "area_title": "Transparency",
      "state": "not_met",
      "essential": true,
      "essential_failed": true,
      "weight": 3.0,
      "points": 0.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "credential.title",
          "value": "Certificate of Completion - Introduction to AI",
          "source": null
        },
        {
          "path": "credential.awarding_bodies",
          "value": "<list of 1 item>",
          "source": null
        },
        {
          "path": "credential.issuer_countries",
          "value": [],
          "source": null
        }
      ],
      "explanation": "not met: credential.issuer_countries is empty",
      "condition": "not empty(credential.title) and not empty(credential.awarding_bodies) and not empty(credential.issuer_countries)",
      "parts": [
        {
          "text": "empty(credential.title)",
          "held": false,
          "detail": "credential.title = \"Certificate of Completion - Introduction to AI\""
        },
        {
          "text": "empty(credential.awarding_bodies)",
          "held": false,
          "detail": "credential.awarding_bodies has 1 item"
        },
        {
          "text": "empty(credential.issuer_countries)",
          "held": true,
          "detail": "credential.issuer_countries is empty"
        }
      ],
      "rationale": "An employer or another institution can only trust a micro-credential whose title, awarding body and country of issue are stated on it; these are mandatory elements of the EU standard.",
      "remediation": "Fill in credential.title, list every awarding body under credential.awarding_bodies and the issuer''s country or countries under credential.issuer_countries.",
      "references": [
        {
          "title": "Council Recommendation 2022/C 243/02, Annex I, mandatory elements",
          "id": "eu-2022-c243-02",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27",
      "review": null
    },
    {
      "id": "ST-AS-01",
      "title": "Every learning outcome is assessed",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "outcomes[0].assessed_by",
          "value": [
            "Q1",
            "Q2"
          ],
          "source": null
        },
        {
          "path": "assessments",
          "value": "<list of 2 items>",
          "source": null
        },
        {
          "path": "outcomes[0].id",
          "value": "LO1",
          "source": null
        },
        {
          "path": "assessments[0].outcomes",
          "value": [
            "LO1",
            "LO2"
          ],
          "source": null
        },
        {
          "path": "assessments[1].outcomes",
          "value": [
            "LO1",
            "LO3"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].assessed_by",
          "value": [
            "Q1"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].id",
          "value": "LO2",
          "source": null
        },
        {
          "path": "outcomes[2].assessed_by",
          "value": [
            "Q2"
          ],
          "source": null
        },
        {
          "path": "outcomes[2].id",
          "value": "LO3",
          "source": null
        }
      ],
      "explanation": "met: count(outcomes) = 3, required > 0; all 3 items of outcomes hold",
      "condition": "count(outcomes) > 0 and all(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes))",
      "parts": [
        {
          "text": "count(outcomes) > 0",
          "held": true,
          "detail": "count(outcomes) = 3, required > 0"
        },
        {
          "text": "all(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes))",
          "held": true,
          "detail": "all 3 items of outcomes hold"
        }
      ],
      "rationale": "A credential certifies its outcomes; an outcome that no assessment checks is certified without evidence that the holder achieved it.",
      "remediation": "Assess every outcome: list the assessments that assess it (outcomes[].assessed_by) or the outcomes each assessment covers (assessments[].outcomes).",
      "references": [
        {
          "title": "ESG 2015, standard 1.3 (student-centred learning, teaching and assessment)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9",
      "review": null
    },
    {
      "id": "ST-AS-02",
      "title": "Assessment weights add up to 100%",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "assessments",
          "value": "<list of 2 items>",
          "source": null
        },
        {
          "path": "assessments[0].weight",
          "value": 0.5,
          "source": null
        },
        {
          "path": "assessments[1].weight",
          "value": 0.5,
          "source": null
        }
      ],
      "explanation": "met: count(assessments) = 2, required > 0; all 2 items of assessments hold; sum(a in assessments: ...) = 1, required >= 0.999; sum(a in assessments: ...) = 1, required <= 1.001",
      "condition": "count(assessments) > 0 and all(a in assessments: exists(a.weight)) and sum(a in assessments: a.weight) >= 0.999 and sum(a in assessments: a.weight) <= 1.001",
      "parts": [
        {
          "text": "count(assessments) > 0",
          "held": true,
          "detail": "count(assessments) = 2, required > 0"
        },
        {
          "text": "all(a in assessments: exists(a.weight))",
          "held": true,
          "detail": "all 2 items of assessments hold"
        },
        {
          "text": "sum(a in assessments: a.weight) >= 0.999",
          "held": true,
          "detail": "sum(a in assessments: ...) = 1, required >= 0.999"
        },
        {
          "text": "sum(a in assessments: a.weight) <= 1.001",
          "held": true,
          "detail": "sum(a in assessments: ...) = 1, required <= 1.001"
        }
      ],
      "rationale": "Learners must know how each assessment counts towards the result; weights that do not add up to 100% leave part of the grade undefined.",
      "remediation": "Give every assessment a weight (a fraction, e.g. 0.3) and make the weights add up to 1.",
      "references": [],
      "error": null,
      "sha256": "a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e",
      "review": null
    },
    {
      "id": "ST-AS-03",
      "title": "Identity verification matches the supervision the credential claims",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "not_applicable",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 0.0,
      "max_points": 0.0,
      "evidence": [
        {
          "path": "credential.supervision",
          "value": "unsupervised_no_id",
          "source": null
        }
      ],
      "explanation": "not applicable: credential.supervision = \"unsupervised_no_id\", required == \"supervised_with_id\"",
      "condition": "exists(credential.supervision) and credential.supervision == \"supervised_with_id\"",
      "parts": [
        {
          "text": "exists(credential.supervision)",
          "held": true,
          "detail": "credential.supervision = \"unsupervised_no_id\""
        },
        {
          "text": "credential.supervision == \"supervised_with_id\"",
          "held": false,
          "detail": "credential.supervision = \"unsupervised_no_id\", required == \"supervised_with_id\""
        }
      ],
      "rationale": "A credential that states its assessment was supervised with identity verification must rest on at least one assessment where that actually happened.",
      "remediation": "Record the supervised, identity-verified assessment (assessments[].supervision and identity_verified), or state the supervision level the assessments really have.",
      "references": [],
      "error": null,
      "sha256": "b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9",
      "review": null
    },
    {
      "id": "ST-AS-04",
      "title": "Assessment criteria are published to learners",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "assessments",
          "value": "<list of 2 items>",
          "source": null
        },
        {
          "path": "assessments[0].rubric_published",
          "value": false,
          "source": null
        },
        {
          "path": "assessments[1].rubric_published",
          "value": false,
          "source": null
        }
      ],
      "explanation": "not met: assessments[0].rubric_published = false, required == true; assessments[1].rubric_published = false, required == true",
      "condition": "count(assessments) > 0 and all(a in assessments: a.rubric_published == true)",
      "parts": [
        {
          "text": "count(assessments) > 0",
          "held": true,
          "detail": "count(assessments) = 2, required > 0"
        },
        {
          "text": "all(a in assessments: a.rubric_published == true)",
          "held": false,
          "detail": "assessments[0].rubric_published = false, required == true; assessments[1].rubric_published = false, required == true"
        }
      ],
      "rationale": "Learners can only prepare for and contest an assessment whose criteria they know in advance.",
      "remediation": "Publish the marking criteria or rubric of every assessment to learners and record it (assessments[].rubric_published).",
      "references": [],
      "error": null,
      "sha256": "a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1",
      "review": null
    },
    {
      "id": "ST-CU-01",
      "title": "Learning outcomes are stated",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 3 items>",
          "source": null
        }
      ],
      "explanation": "met: count(outcomes) = 3, required >= 3",
      "condition": "count(outcomes) >= 3",
      "parts": [
        {
          "text": "count(outcomes) >= 3",
          "held": true,
          "detail": "count(outcomes) = 3, required >= 3"
        }
      ],
      "rationale": "Learning outcomes are what the credential certifies; without at least a few explicit outcomes nobody can tell what a holder knows or can do.",
      "remediation": "State at least three learning outcomes under `outcomes`, each with an observable action verb; add the cognitive (Bloom) level and an ESCO skill reference to reach exemplary.",
      "references": [
        {
          "title": "ESG 2015, standard 1.2 (design and approval of programmes)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0",
      "review": null
    },
    {
      "id": "ST-CU-02",
      "title": "Workload is stated in ECTS and consistent with the hours (25-30 hours per credit)",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "partially_met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 1.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "credential.workload.ects",
          "value": null,
          "source": null
        },
        {
          "path": "credential.workload.hours",
          "value": 12.0,
          "source": null
        }
      ],
      "explanation": "partially met: credential.workload.hours = 12; short of met: credential.workload.ects is missing",
      "condition": "exists(credential.workload.ects) or exists(credential.workload.hours)",
      "parts": [
        {
          "text": "exists(credential.workload.ects)",
          "held": false,
          "detail": "credential.workload.ects is missing"
        },
        {
          "text": "exists(credential.workload.hours)",
          "held": true,
          "detail": "credential.workload.hours = 12"
        }
      ],
      "rationale": "Notional workload lets learners and institutions compare and stack credentials; one ECTS credit corresponds to 25 to 30 hours of learning, so stated credits and hours must agree.",
      "remediation": "Give the workload as ECTS credits and notional hours under credential.workload, with hours between 25 and 30 times the credits.",
      "references": [
        {
          "title": "ECTS Users'' Guide 2015",
          "id": "ects-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce",
      "review": null
    },
    {
      "id": "ST-CU-03",
      "title": "Every learning outcome is covered by a module",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "modules",
          "value": "<list of 2 items>",
          "source": null
        },
        {
          "path": "outcomes[0].id",
          "value": "LO1",
          "source": null
        },
        {
          "path": "modules[0].outcomes",
          "value": [
            "LO1",
            "LO2"
          ],
          "source": null
        },
        {
          "path": "modules[1].outcomes",
          "value": [
            "LO1",
            "LO3"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].id",
          "value": "LO2",
          "source": null
        },
        {
          "path": "outcomes[2].id",
          "value": "LO3",
          "source": null
        }
      ],
      "explanation": "met: count(outcomes) = 3, required > 0; all 3 items of outcomes hold",
      "condition": "count(outcomes) > 0 and all(o in outcomes: any(m in modules: o.id in m.outcomes))",
      "parts": [
        {
          "text": "count(outcomes) > 0",
          "held": true,
          "detail": "count(outcomes) = 3, required > 0"
        },
        {
          "text": "all(o in outcomes: any(m in modules: o.id in m.outcomes))",
          "held": true,
          "detail": "all 3 items of outcomes hold"
        }
      ],
      "rationale": "An outcome that no module teaches is certified without being taught; coverage shows the curriculum was designed from its outcomes.",
      "remediation": "Map each outcome to at least one module (modules[].outcomes), or remove outcomes the programme does not teach.",
      "references": [],
      "error": null,
      "sha256": "42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c",
      "review": null
    },
    {
      "id": "ST-CU-04",
      "title": "Outcomes reach a cognitive level that fits the stated EQF level",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "not_applicable",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 0.0,
      "evidence": [
        {
          "path": "credential.level.eqf",
          "value": null,
          "source": null
        }
      ],
      "explanation": "not applicable: credential.level.eqf is missing",
      "condition": "exists(credential.level.eqf)",
      "parts": [
        {
          "text": "exists(credential.level.eqf)",
          "held": false,
          "detail": "credential.level.eqf is missing"
        }
      ],
      "rationale": "EQF level 5 and above describes learners who analyse, evaluate and create; a programme claiming such a level needs outcomes at that cognitive level, not only recall.",
      "remediation": "Give each outcome its Bloom level (outcomes[].bloom_level); at EQF 5 or above include at least one outcome at level 4 (analyse) or higher, or lower the claimed EQF level.",
      "references": [
        {
          "title": "Council Recommendation of 22 May 2017 on the European Qualifications Framework, Annex II",
          "id": null,
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592",
      "review": null
    },
    {
      "id": "ST-IN-01",
      "title": "Teaching staff are trained to teach online",
      "area": "instruction",
      "area_title": "Instructional quality",
      "state": "unknown",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "staff",
          "value": "<list of 1 item>",
          "source": null
        },
        {
          "path": "staff[0].online_teaching_training",
          "value": null,
          "source": null
        }
      ],
      "explanation": "unknown (evidence missing): staff[0].online_teaching_training is missing",
      "condition": "count(staff) > 0 and all(s in staff: s.online_teaching_training == true)",
      "parts": [
        {
          "text": "count(staff) > 0",
          "held": true,
          "detail": "count(staff) = 1, required > 0"
        },
        {
          "text": "all(s in staff: s.online_teaching_training == true)",
          "held": null,
          "detail": "staff[0].online_teaching_training is missing"
        }
      ],
      "rationale": "Teaching online well is a skill of its own; trained staff design better interaction and support.",
      "remediation": "Train every teacher of an online or blended programme in online pedagogy and record it (staff[].online_teaching_training).",
      "references": [],
      "error": null,
      "sha256": "7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300",
      "review": null
    },
    {
      "id": "ST-IN-02",
      "title": "The programme is coherent (outcomes stated, taught and assessed)",
      "area": "instruction",
      "area_title": "Instructional quality",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [],
      "explanation": "met: criterion ST-CU-01 is met; criterion ST-CU-03 is met; criterion ST-AS-01 is met",
      "condition": "met(\"ST-CU-01\") and met(\"ST-CU-03\") and met(\"ST-AS-01\")",
      "parts": [
        {
          "text": "met(\"ST-CU-01\")",
          "held": true,
          "detail": "criterion ST-CU-01 is met"
        },
        {
          "text": "met(\"ST-CU-03\")",
          "held": true,
          "detail": "criterion ST-CU-03 is met"
        },
        {
          "text": "met(\"ST-AS-01\")",
          "held": true,
          "detail": "criterion ST-AS-01 is met"
        }
      ],
      "rationale": "Outcomes, teaching and assessment must line up (constructive alignment); this criterion follows from the three that check each link.",
      "remediation": "Meet ST-CU-01, ST-CU-03 and ST-AS-01.",
      "references": [],
      "error": null,
      "sha256": "fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f",
      "review": null
    },
    {
      "id": "ST-OU-01",
      "title": "Completion rate of every cohort",
      "area": "outcomes",
      "area_title": "Learner outcomes",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 0.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "cohorts",
          "value": "<list of 1 item>",
          "source": null
        },
        {
          "path": "cohorts[0].completed",
          "value": 1000,
          "source": null
        },
        {
          "path": "cohorts[0].enrolled",
          "value": 12500,
          "source": null
        }
      ],
      "explanation": "not met: min(c in cohorts: ...) = 0.08, required >= 0.6",
      "condition": "min(c in cohorts: c.completed / c.enrolled) >= 0.6",
      "parts": [
        {
          "text": "min(c in cohorts: c.completed / c.enrolled) >= 0.6",
          "held": false,
          "detail": "min(c in cohorts: ...) = 0.08, required >= 0.6"
        }
      ],
      "rationale": "Completion is the plainest signal that the workload, support and design fit the learners the programme admits; a new programme without cohorts stays unknown rather than failing.",
      "remediation": "Report enrolled and completed learners per cohort (cohorts[]); where completion is below 60%, analyse drop-out points and strengthen support or adjust the workload.",
      "references": [],
      "error": null,
      "sha256": "fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5",
      "review": null
    },
    {
      "id": "ST-OU-02",
      "title": "Learner satisfaction with a representative survey response",
      "area": "outcomes",
      "area_title": "Learner outcomes",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "cohorts",
          "value": "<list of 1 item>",
          "source": null
        },
        {
          "path": "cohorts[0].satisfaction",
          "value": 0.7,
          "source": null
        },
        {
          "path": "cohorts[0].survey_response_rate",
          "value": 0.03,
          "source": null
        }
      ],
      "explanation": "not met: min(c in cohorts: ...) = 0.7, required >= 0.75; min(c in cohorts: ...) = 0.03, required >= 0.3",
      "condition": "min(c in cohorts: c.satisfaction) >= 0.75 and min(c in cohorts: c.survey_response_rate) >= 0.3",
      "parts": [
        {
          "text": "min(c in cohorts: c.satisfaction) >= 0.75",
          "held": false,
          "detail": "min(c in cohorts: ...) = 0.7, required >= 0.75"
        },
        {
          "text": "min(c in cohorts: c.survey_response_rate) >= 0.3",
          "held": false,
          "detail": "min(c in cohorts: ...) = 0.03, required >= 0.3"
        }
      ],
      "rationale": "Satisfaction figures mean little when few learners answer; both the level and the response rate are needed.",
      "remediation": "Survey every cohort, report satisfaction (0-1) and the response rate; act on low scores and raise response rates above 30%.",
      "references": [],
      "error": null,
      "sha256": "5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa",
      "review": null
    },
    {
      "id": "ST-QA-02",
      "title": "External quality review within the last five years",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 0.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "quality_assurance.external_body",
          "value": null,
          "source": null
        },
        {
          "path": "quality_assurance.external_last_review",
          "value": null,
          "source": null
        }
      ],
      "explanation": "not met: quality_assurance.external_body is missing; quality_assurance.external_last_review is missing",
      "condition": "exists(quality_assurance.external_body) and exists(quality_assurance.external_last_review) and years_since(quality_assurance.external_last_review) <= 5",
      "parts": [
        {
          "text": "exists(quality_assurance.external_body)",
          "held": false,
          "detail": "quality_assurance.external_body is missing"
        },
        {
          "text": "exists(quality_assurance.external_last_review)",
          "held": false,
          "detail": "quality_assurance.external_last_review is missing"
        },
        {
          "text": "years_since(quality_assurance.external_last_review) <= 5",
          "held": null,
          "detail": "quality_assurance.external_last_review is missing"
        }
      ],
      "rationale": "External review by a recognised body is what makes internal quality claims credible to others.",
      "remediation": "Have the programme or the provider reviewed by an external QA body and record the body and date (quality_assurance.external_body, external_last_review).",
      "references": [],
      "error": null,
      "sha256": "3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325",
      "review": null
    },
    {
      "id": "ST-QA-03",
      "title": "Learner feedback has led to documented changes",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "unknown",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "quality_assurance.feedback_changes",
          "value": null,
          "source": null
        }
      ],
      "explanation": "unknown (evidence missing): quality_assurance.feedback_changes is missing",
      "condition": "count(quality_assurance.feedback_changes) >= 2",
      "parts": [
        {
          "text": "count(quality_assurance.feedback_changes) >= 2",
          "held": null,
          "detail": "quality_assurance.feedback_changes is missing"
        }
      ],
      "rationale": "Collecting feedback matters only when it changes the programme; documented changes close the loop.",
      "remediation": "Record what learners said and what was changed in response (quality_assurance.feedback_changes).",
      "references": [],
      "error": null,
      "sha256": "ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8",
      "review": null
    },
    {
      "id": "ST-SU-01",
      "title": "The learning environment claims WCAG 2.1 AA conformance",
      "area": "support",
      "area_title": "Learner support and accessibility",
      "state": "not_met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 0.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "support.accessibility.wcag_level",
          "value": null,
          "source": null
        }
      ],
      "explanation": "not met: support.accessibility.wcag_level is missing",
      "condition": "exists(support.accessibility.wcag_level) and support.accessibility.wcag_level in [\"AA\", \"AAA\"]",
      "parts": [
        {
          "text": "exists(support.accessibility.wcag_level)",
          "held": false,
          "detail": "support.accessibility.wcag_level is missing"
        },
        {
          "text": "support.accessibility.wcag_level in [\"AA\", \"AAA\"]",
          "held": null,
          "detail": "support.accessibility.wcag_level is missing"
        }
      ],
      "rationale": "Online learners with disabilities depend on an accessible platform and materials; AA is the level the European accessibility rules require of public bodies.",
      "remediation": "Audit the platform and materials against WCAG 2.1 AA, publish an accessibility statement and record the level under support.accessibility.",
      "references": [
        {
          "title": "Web Content Accessibility Guidelines (WCAG) 2.1",
          "id": null,
          "url": "https://www.w3.org/TR/WCAG21/",
          "section": null
        }
      ],
      "error": null,
      "sha256": "0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d",
      "review": null
    }
  ],
  "fixes": [
    {
      "criterion": "ST-TR-01",
      "title": "The credential names its title, awarding body and issuer country",
      "area": "transparency",
      "state": "not_met",
      "essential": true,
      "clears_essential": true,
      "gain": 14.28,
      "in_plan": true
    },
    {
      "criterion": "ST-QA-01",
      "title": "Internal review at least every two years, the last one within two years",
      "area": "quality_assurance",
      "state": "not_met",
      "essential": true,
      "clears_essential": true,
      "gain": 7.14,
      "in_plan": false
    },
    {
      "criterion": "ST-SU-01",
      "title": "The learning environment claims WCAG 2.1 AA conformance",
      "area": "support",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 14.28,
      "in_plan": true
    },
    {
      "criterion": "ST-OU-01",
      "title": "Completion rate of every cohort",
      "area": "outcomes",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 9.52,
      "in_plan": false
    },
    {
      "criterion": "ST-IN-01",
      "title": "Teaching staff are trained to teach online",
      "area": "instruction",
      "state": "unknown",
      "essential": false,
      "clears_essential": false,
      "gain": 7.14,
      "in_plan": false
    },
    {
      "criterion": "ST-OU-02",
      "title": "Learner satisfaction with a representative survey response",
      "area": "outcomes",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 4.76,
      "in_plan": false
    },
    {
      "criterion": "ST-QA-02",
      "title": "External quality review within the last five years",
      "area": "quality_assurance",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 4.76,
      "in_plan": false
    },
    {
      "criterion": "ST-AS-04",
      "title": "Assessment criteria are published to learners",
      "area": "assessment",
      "state": "not_met",
      "essential": false,
      "clears_essential": false,
      "gain": 2.38,
      "in_plan": false
    },
    {
      "criterion": "ST-QA-03",
      "title": "Learner feedback has led to documented changes",
      "area": "quality_assurance",
      "state": "unknown",
      "essential": false,
      "clears_essential": false,
      "gain": 2.38,
      "in_plan": false
    },
    {
      "criterion": "ST-CU-02",
      "title": "Workload is stated in ECTS and consistent with the hours (25-30 hours per credit)",
      "area": "curriculum",
      "state": "partially_met",
      "essential": false,
      "clears_essential": false,
      "gain": 2.04,
      "in_plan": false
    }
  ],
  "next_decision": {
    "decision": "accredited_with_conditions",
    "label": "Accredited with conditions",
    "reachable": true,
    "fixes_needed": 2
  },
  "notes": [],
  "review": null
}
', 'batch-f4d7f5f45ba34076be20f59d8bf00413', '2026-12-02 08:20:03.393741+00');
INSERT INTO evaluation VALUES (3, 3, 'uni-data-analytics', '07a6e37008c66673a0dbba9ee6dc1df161b760fdd1109bd183e7525edcc2aa5a', 1, '72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b', 1, '4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926', 'durable', '0.1.0', '2026-01-01', 'accredited', true, '100', 100, '{
  "report_schema": "qa-engine.report/1",
  "engine_version": "0.1.0",
  "engine": "durable",
  "as_of": "2026-01-01",
  "decision": "accredited",
  "decision_label": "Accredited",
  "passed": true,
  "score": 100.0,
  "score_exact": "100",
  "scoring_model": "weighted",
  "ruleset": {
    "id": "qa-starter",
    "version": "1.0.0",
    "sha256": "72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b",
    "title": "Starter quality check for short online programmes"
  },
  "rubric": {
    "id": "qa-starter",
    "version": "1.0.0",
    "sha256": "4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926",
    "title": "Starter rubric (three decision bands)"
  },
  "dossier": {
    "id": "uni-data-analytics",
    "sha256": "07a6e37008c66673a0dbba9ee6dc1df161b760fdd1109bd183e7525edcc2aa5a",
    "title": "Applied Data Analytics with Python",
    "provider": "Westerveld University",
    "file": "/tmp/v1fx/in/uni-data-analytics.yaml",
    "imported_from": null,
    "import_notes": []
  },
  "areas": [
    {
      "id": "transparency",
      "title": "Transparency",
      "score": 100.0,
      "points": 3.0,
      "max_points": 3.0,
      "weight": 1.0,
      "counted": 1,
      "failed": 0
    },
    {
      "id": "curriculum",
      "title": "Curriculum rigour",
      "score": 100.0,
      "points": 8.0,
      "max_points": 8.0,
      "weight": 1.0,
      "counted": 4,
      "failed": 0
    },
    {
      "id": "assessment",
      "title": "Assessment",
      "score": 100.0,
      "points": 8.0,
      "max_points": 8.0,
      "weight": 1.0,
      "counted": 4,
      "failed": 0
    },
    {
      "id": "outcomes",
      "title": "Learner outcomes",
      "score": 100.0,
      "points": 3.0,
      "max_points": 3.0,
      "weight": 1.0,
      "counted": 2,
      "failed": 0
    },
    {
      "id": "quality_assurance",
      "title": "Quality assurance",
      "score": 100.0,
      "points": 6.0,
      "max_points": 6.0,
      "weight": 1.0,
      "counted": 3,
      "failed": 0
    },
    {
      "id": "support",
      "title": "Learner support and accessibility",
      "score": 100.0,
      "points": 1.0,
      "max_points": 1.0,
      "weight": 1.0,
      "counted": 1,
      "failed": 0
    },
    {
      "id": "instruction",
      "title": "Instructional quality",
      "score": 100.0,
      "points": 2.0,
      "max_points": 2.0,
      "weight": 1.0,
      "counted": 2,
      "failed": 0
    }
  ],
  "essential_failures": [],
  "counts": {
    "exemplary": 2,
    "met": 15
  },
  "criteria": [
    {
      "id": "ST-AS-01",
      "title": "Every learning outcome is assessed",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 5 items>",
          "source": null
        },
        {
          "path": "outcomes[0].assessed_by",
          "value": [
            "A1",
            "A3"
          ],
          "source": null
        },
        {
          "path": "assessments",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "outcomes[0].id",
          "value": "LO1",
          "source": null
        },
        {
          "path": "assessments[0].outcomes",
          "value": [
            "LO1",
            "LO2",
            "LO3"
          ],
          "source": null
        },
        {
          "path": "assessments[1].outcomes",
          "value": [
            "LO2",
            "LO3",
            "LO4",
            "LO5"
          ],
          "source": null
        },
        {
          "path": "assessments[2].outcomes",
          "value": [
            "LO1",
            "LO4",
            "LO5"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].assessed_by",
          "value": [
            "A1",
            "A2"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].id",
          "value": "LO2",
          "source": null
        },
        {
          "path": "outcomes[2].assessed_by",
          "value": [
            "A1",
            "A2"
          ],
          "source": null
        },
        {
          "path": "outcomes[2].id",
          "value": "LO3",
          "source": null
        },
        {
          "path": "outcomes[3].assessed_by",
          "value": [
            "A2",
            "A3"
          ],
          "source": null
        },
        {
          "path": "outcomes[3].id",
          "value": "LO4",
          "source": null
        },
        {
          "path": "outcomes[4].assessed_by",
          "value": [
            "A2",
            "A3"
          ],
          "source": null
        },
        {
          "path": "outcomes[4].id",
          "value": "LO5",
          "source": null
        }
      ],
      "explanation": "met: count(outcomes) = 5, required > 0; all 5 items of outcomes hold",
      "condition": "count(outcomes) > 0 and all(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes))",
      "parts": [
        {
          "text": "count(outcomes) > 0",
          "held": true,
          "detail": "count(outcomes) = 5, required > 0"
        },
        {
          "text": "all(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes))",
          "held": true,
          "detail": "all 5 items of outcomes hold"
        }
      ],
      "rationale": "A credential certifies its outcomes; an outcome that no assessment checks is certified without evidence that the holder achieved it.",
      "remediation": "Assess every outcome: list the assessments that assess it (outcomes[].assessed_by) or the outcomes each assessment covers (assessments[].outcomes).",
      "references": [
        {
          "title": "ESG 2015, standard 1.3 (student-centred learning, teaching and assessment)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9",
      "review": null
    },
    {
      "id": "ST-AS-02",
      "title": "Assessment weights add up to 100%",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "assessments",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "assessments[0].weight",
          "value": 0.2,
          "source": null
        },
        {
          "path": "assessments[1].weight",
          "value": 0.5,
          "source": null
        },
        {
          "path": "assessments[2].weight",
          "value": 0.3,
          "source": null
        }
      ],
      "explanation": "met: count(assessments) = 3, required > 0; all 3 items of assessments hold; sum(a in assessments: ...) = 1, required >= 0.999; sum(a in assessments: ...) = 1, required <= 1.001",
      "condition": "count(assessments) > 0 and all(a in assessments: exists(a.weight)) and sum(a in assessments: a.weight) >= 0.999 and sum(a in assessments: a.weight) <= 1.001",
      "parts": [
        {
          "text": "count(assessments) > 0",
          "held": true,
          "detail": "count(assessments) = 3, required > 0"
        },
        {
          "text": "all(a in assessments: exists(a.weight))",
          "held": true,
          "detail": "all 3 items of assessments hold"
        },
        {
          "text": "sum(a in assessments: a.weight) >= 0.999",
          "held": true,
          "detail": "sum(a in assessments: ...) = 1, required >= 0.999"
        },
        {
          "text": "sum(a in assessments: a.weight) <= 1.001",
          "held": true,
          "detail": "sum(a in assessments: ...) = 1, required <= 1.001"
        }
      ],
      "rationale": "Learners must know how each assessment counts towards the result; weights that do not add up to 100% leave part of the grade undefined.",
      "remediation": "Give every assessment a weight (a fraction, e.g. 0.3) and make the weights add up to 1.",
      "references": [],
      "error": null,
      "sha256": "a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e",
      "review": null
    },
    {
      "id": "ST-AS-03",
      "title": "Identity verification matches the supervision the credential claims",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "assessments",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "assessments[0].supervision",
          "value": "supervised_with_id",
          "source": null
        },
        {
          "path": "assessments[0].identity_verified",
          "value": true,
          "source": null
        },
        {
          "path": "assessments[1].supervision",
          "value": "supervised_no_id",
          "source": null
        },
        {
          "path": "assessments[1].identity_verified",
          "value": true,
          "source": null
        },
        {
          "path": "assessments[2].supervision",
          "value": "unsupervised_no_id",
          "source": null
        },
        {
          "path": "assessments[2].identity_verified",
          "value": false,
          "source": null
        }
      ],
      "explanation": "met: assessments[0].supervision = \"supervised_with_id\", required == \"supervised_with_id\"; assessments[0].identity_verified = true, required == true",
      "condition": "any(a in assessments: a.supervision == \"supervised_with_id\" and a.identity_verified == true)",
      "parts": [
        {
          "text": "any(a in assessments: a.supervision == \"supervised_with_id\" and a.identity_verified == true)",
          "held": true,
          "detail": "assessments[0].supervision = \"supervised_with_id\", required == \"supervised_with_id\"; assessments[0].identity_verified = true, required == true"
        }
      ],
      "rationale": "A credential that states its assessment was supervised with identity verification must rest on at least one assessment where that actually happened.",
      "remediation": "Record the supervised, identity-verified assessment (assessments[].supervision and identity_verified), or state the supervision level the assessments really have.",
      "references": [],
      "error": null,
      "sha256": "b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9",
      "review": null
    },
    {
      "id": "ST-AS-04",
      "title": "Assessment criteria are published to learners",
      "area": "assessment",
      "area_title": "Assessment",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "assessments",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "assessments[0].rubric_published",
          "value": true,
          "source": null
        },
        {
          "path": "assessments[1].rubric_published",
          "value": true,
          "source": null
        },
        {
          "path": "assessments[2].rubric_published",
          "value": true,
          "source": null
        }
      ],
      "explanation": "met: count(assessments) = 3, required > 0; all 3 items of assessments hold",
      "condition": "count(assessments) > 0 and all(a in assessments: a.rubric_published == true)",
      "parts": [
        {
          "text": "count(assessments) > 0",
          "held": true,
          "detail": "count(assessments) = 3, required > 0"
        },
        {
          "text": "all(a in assessments: a.rubric_published == true)",
          "held": true,
          "detail": "all 3 items of assessments hold"
        }
      ],
      "rationale": "Learners can only prepare for and contest an assessment whose criteria they know in advance.",
      "remediation": "Publish the marking criteria or rubric of every assessment to learners and record it (assessments[].rubric_published).",
      "references": [],
      "error": null,
      "sha256": "a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1",
      "review": null
    },
    {
      "id": "ST-CU-01",
      "title": "Learning outcomes are stated",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "exemplary",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 5 items>",
          "source": null
        },
        {
          "path": "outcomes[0].bloom_level",
          "value": 3,
          "source": null
        },
        {
          "path": "outcomes[0].esco_skill",
          "value": "http://data.europa.eu/esco/skill/0a8f1c2e-3d4b-4e5f-8a9b-1c2d3e4f5a61",
          "source": null
        },
        {
          "path": "outcomes[1].bloom_level",
          "value": 4,
          "source": null
        },
        {
          "path": "outcomes[1].esco_skill",
          "value": "http://data.europa.eu/esco/skill/1b9e2d3f-4e5c-4f6a-9b0c-2d3e4f5a6b72",
          "source": null
        },
        {
          "path": "outcomes[2].bloom_level",
          "value": 4,
          "source": null
        },
        {
          "path": "outcomes[2].esco_skill",
          "value": "http://data.europa.eu/esco/skill/2c0f3e4a-5f6d-4a7b-8c1d-3e4f5a6b7c83",
          "source": null
        },
        {
          "path": "outcomes[3].bloom_level",
          "value": 5,
          "source": null
        },
        {
          "path": "outcomes[3].esco_skill",
          "value": "http://data.europa.eu/esco/skill/3d1a4f5b-6a7e-4b8c-9d2e-4f5a6b7c8d94",
          "source": null
        },
        {
          "path": "outcomes[4].bloom_level",
          "value": 3,
          "source": null
        },
        {
          "path": "outcomes[4].esco_skill",
          "value": "http://data.europa.eu/esco/skill/4e2b5a6c-7b8f-4c9d-8e3f-5a6b7c8d9ea5",
          "source": null
        }
      ],
      "explanation": "exemplary: count(outcomes) = 5, required >= 3; all 5 items of outcomes hold",
      "condition": "count(outcomes) >= 3 and all(o in outcomes: exists(o.bloom_level) and exists(o.esco_skill))",
      "parts": [
        {
          "text": "count(outcomes) >= 3",
          "held": true,
          "detail": "count(outcomes) = 5, required >= 3"
        },
        {
          "text": "all(o in outcomes: exists(o.bloom_level) and exists(o.esco_skill))",
          "held": true,
          "detail": "all 5 items of outcomes hold"
        }
      ],
      "rationale": "Learning outcomes are what the credential certifies; without at least a few explicit outcomes nobody can tell what a holder knows or can do.",
      "remediation": "State at least three learning outcomes under `outcomes`, each with an observable action verb; add the cognitive (Bloom) level and an ESCO skill reference to reach exemplary.",
      "references": [
        {
          "title": "ESG 2015, standard 1.2 (design and approval of programmes)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0",
      "review": null
    },
    {
      "id": "ST-CU-02",
      "title": "Workload is stated in ECTS and consistent with the hours (25-30 hours per credit)",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "credential.workload.ects",
          "value": 5.0,
          "source": null
        },
        {
          "path": "credential.workload.hours",
          "value": 130.0,
          "source": null
        }
      ],
      "explanation": "met: credential.workload.ects = 5; credential.workload.hours = 130; credential.workload.ects = 5, required > 0; credential.workload.hours = 130, 25 * credential.workload.ects = 125, required credential.workload.hours >= 25 * credential.workload.ects; credential.workload.hours = 130, 30 * credential.workload.ects = 150, required credential.workload.hours <= 30 * credential.workload.ects",
      "condition": "exists(credential.workload.ects) and exists(credential.workload.hours) and credential.workload.ects > 0 and credential.workload.hours >= 25 * credential.workload.ects and credential.workload.hours <= 30 * credential.workload.ects",
      "parts": [
        {
          "text": "exists(credential.workload.ects)",
          "held": true,
          "detail": "credential.workload.ects = 5"
        },
        {
          "text": "exists(credential.workload.hours)",
          "held": true,
          "detail": "credential.workload.hours = 130"
        },
        {
          "text": "credential.workload.ects > 0",
          "held": true,
          "detail": "credential.workload.ects = 5, required > 0"
        },
        {
          "text": "credential.workload.hours >= 25 * credential.workload.ects",
          "held": true,
          "detail": "credential.workload.hours = 130, 25 * credential.workload.ects = 125, required credential.workload.hours >= 25 * credential.workload.ects"
        },
        {
          "text": "credential.workload.hours <= 30 * credential.workload.ects",
          "held": true,
          "detail": "credential.workload.hours = 130, 30 * credential.workload.ects = 150, required credential.workload.hours <= 30 * credential.workload.ects"
        }
      ],
      "rationale": "Notional workload lets learners and institutions compare and stack credentials; one ECTS credit corresponds to 25 to 30 hours of learning, so stated credits and hours must agree.",
      "remediation": "Give the workload as ECTS credits and notional hours under credential.workload, with hours between 25 and 30 times the credits.",
      "references": [
        {
          "title": "ECTS Users'' Guide 2015",
          "id": "ects-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce",
      "review": null
    },
    {
      "id": "ST-CU-03",
      "title": "Every learning outcome is covered by a module",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "outcomes",
          "value": "<list of 5 items>",
          "source": null
        },
        {
          "path": "modules",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "outcomes[0].id",
          "value": "LO1",
          "source": null
        },
        {
          "path": "modules[0].outcomes",
          "value": [
            "LO1",
            "LO5"
          ],
          "source": null
        },
        {
          "path": "modules[1].outcomes",
          "value": [
            "LO2",
            "LO3"
          ],
          "source": null
        },
        {
          "path": "modules[2].outcomes",
          "value": [
            "LO4",
            "LO5"
          ],
          "source": null
        },
        {
          "path": "outcomes[1].id",
          "value": "LO2",
          "source": null
        },
        {
          "path": "outcomes[2].id",
          "value": "LO3",
          "source": null
        },
        {
          "path": "outcomes[3].id",
          "value": "LO4",
          "source": null
        },
        {
          "path": "outcomes[4].id",
          "value": "LO5",
          "source": null
        }
      ],
      "explanation": "met: count(outcomes) = 5, required > 0; all 5 items of outcomes hold",
      "condition": "count(outcomes) > 0 and all(o in outcomes: any(m in modules: o.id in m.outcomes))",
      "parts": [
        {
          "text": "count(outcomes) > 0",
          "held": true,
          "detail": "count(outcomes) = 5, required > 0"
        },
        {
          "text": "all(o in outcomes: any(m in modules: o.id in m.outcomes))",
          "held": true,
          "detail": "all 5 items of outcomes hold"
        }
      ],
      "rationale": "An outcome that no module teaches is certified without being taught; coverage shows the curriculum was designed from its outcomes.",
      "remediation": "Map each outcome to at least one module (modules[].outcomes), or remove outcomes the programme does not teach.",
      "references": [],
      "error": null,
      "sha256": "42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c",
      "review": null
    },
    {
      "id": "ST-CU-04",
      "title": "Outcomes reach a cognitive level that fits the stated EQF level",
      "area": "curriculum",
      "area_title": "Curriculum rigour",
      "state": "exemplary",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "credential.level.eqf",
          "value": 6,
          "source": null
        },
        {
          "path": "outcomes",
          "value": "<list of 5 items>",
          "source": null
        },
        {
          "path": "outcomes[0].bloom_level",
          "value": 3,
          "source": null
        },
        {
          "path": "outcomes[1].bloom_level",
          "value": 4,
          "source": null
        },
        {
          "path": "outcomes[2].bloom_level",
          "value": 4,
          "source": null
        },
        {
          "path": "outcomes[3].bloom_level",
          "value": 5,
          "source": null
        },
        {
          "path": "outcomes[4].bloom_level",
          "value": 3,
          "source": null
        }
      ],
      "explanation": "exemplary: credential.level.eqf = 6, required >= 5; share(o in outcomes: ...) = 0.6, required >= 0.5",
      "condition": "credential.level.eqf >= 5 and share(o in outcomes: o.bloom_level >= 4) >= 0.5",
      "parts": [
        {
          "text": "credential.level.eqf >= 5",
          "held": true,
          "detail": "credential.level.eqf = 6, required >= 5"
        },
        {
          "text": "share(o in outcomes: o.bloom_level >= 4) >= 0.5",
          "held": true,
          "detail": "share(o in outcomes: ...) = 0.6, required >= 0.5"
        }
      ],
      "rationale": "EQF level 5 and above describes learners who analyse, evaluate and create; a programme claiming such a level needs outcomes at that cognitive level, not only recall.",
      "remediation": "Give each outcome its Bloom level (outcomes[].bloom_level); at EQF 5 or above include at least one outcome at level 4 (analyse) or higher, or lower the claimed EQF level.",
      "references": [
        {
          "title": "Council Recommendation of 22 May 2017 on the European Qualifications Framework, Annex II",
          "id": null,
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592",
      "review": null
    },
    {
      "id": "ST-IN-01",
      "title": "Teaching staff are trained to teach online",
      "area": "instruction",
      "area_title": "Instructional quality",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "staff",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "staff[0].online_teaching_training",
          "value": true,
          "source": null
        },
        {
          "path": "staff[1].online_teaching_training",
          "value": true,
          "source": null
        },
        {
          "path": "staff[2].online_teaching_training",
          "value": true,
          "source": null
        }
      ],
      "explanation": "met: count(staff) = 3, required > 0; all 3 items of staff hold",
      "condition": "count(staff) > 0 and all(s in staff: s.online_teaching_training == true)",
      "parts": [
        {
          "text": "count(staff) > 0",
          "held": true,
          "detail": "count(staff) = 3, required > 0"
        },
        {
          "text": "all(s in staff: s.online_teaching_training == true)",
          "held": true,
          "detail": "all 3 items of staff hold"
        }
      ],
      "rationale": "Teaching online well is a skill of its own; trained staff design better interaction and support.",
      "remediation": "Train every teacher of an online or blended programme in online pedagogy and record it (staff[].online_teaching_training).",
      "references": [],
      "error": null,
      "sha256": "7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300",
      "review": null
    },
    {
      "id": "ST-IN-02",
      "title": "The programme is coherent (outcomes stated, taught and assessed)",
      "area": "instruction",
      "area_title": "Instructional quality",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [],
      "explanation": "met: criterion ST-CU-01 is exemplary; criterion ST-CU-03 is met; criterion ST-AS-01 is met",
      "condition": "met(\"ST-CU-01\") and met(\"ST-CU-03\") and met(\"ST-AS-01\")",
      "parts": [
        {
          "text": "met(\"ST-CU-01\")",
          "held": true,
          "detail": "criterion ST-CU-01 is exemplary"
        },
        {
          "text": "met(\"ST-CU-03\")",
          "held": true,
          "detail": "criterion ST-CU-03 is met"
        },
        {
          "text": "met(\"ST-AS-01\")",
          "held": true,
          "detail": "criterion ST-AS-01 is met"
        }
      ],
      "rationale": "Outcomes, teaching and assessment must line up (constructive alignment); this criterion follows from the three that check each link.",
      "remediation": "Meet ST-CU-01, ST-CU-03 and ST-AS-01.",
      "references": [],
      "error": null,
      "sha256": "fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f",
      "review": null
    },
    {
      "id": "ST-OU-01",
      "title": "Completion rate of every cohort",
      "area": "outcomes",
      "area_title": "Learner outcomes",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "cohorts",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "cohorts[0].completed",
          "value": 37,
          "source": null
        },
        {
          "path": "cohorts[0].enrolled",
          "value": 48,
          "source": null
        },
        {
          "path": "cohorts[1].completed",
          "value": 43,
          "source": null
        },
        {
          "path": "cohorts[1].enrolled",
          "value": 55,
          "source": null
        },
        {
          "path": "cohorts[2].completed",
          "value": 47,
          "source": null
        },
        {
          "path": "cohorts[2].enrolled",
          "value": 61,
          "source": null
        }
      ],
      "explanation": "met: min(c in cohorts: ...) = 0.770492, required >= 0.6",
      "condition": "min(c in cohorts: c.completed / c.enrolled) >= 0.6",
      "parts": [
        {
          "text": "min(c in cohorts: c.completed / c.enrolled) >= 0.6",
          "held": true,
          "detail": "min(c in cohorts: ...) = 0.770492, required >= 0.6"
        }
      ],
      "rationale": "Completion is the plainest signal that the workload, support and design fit the learners the programme admits; a new programme without cohorts stays unknown rather than failing.",
      "remediation": "Report enrolled and completed learners per cohort (cohorts[]); where completion is below 60%, analyse drop-out points and strengthen support or adjust the workload.",
      "references": [],
      "error": null,
      "sha256": "fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5",
      "review": null
    },
    {
      "id": "ST-OU-02",
      "title": "Learner satisfaction with a representative survey response",
      "area": "outcomes",
      "area_title": "Learner outcomes",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "cohorts",
          "value": "<list of 3 items>",
          "source": null
        },
        {
          "path": "cohorts[0].satisfaction",
          "value": 0.84,
          "source": null
        },
        {
          "path": "cohorts[1].satisfaction",
          "value": 0.86,
          "source": null
        },
        {
          "path": "cohorts[2].satisfaction",
          "value": 0.88,
          "source": null
        },
        {
          "path": "cohorts[0].survey_response_rate",
          "value": 0.62,
          "source": null
        },
        {
          "path": "cohorts[1].survey_response_rate",
          "value": 0.58,
          "source": null
        },
        {
          "path": "cohorts[2].survey_response_rate",
          "value": 0.66,
          "source": null
        }
      ],
      "explanation": "met: min(c in cohorts: ...) = 0.84, required >= 0.75; min(c in cohorts: ...) = 0.58, required >= 0.3",
      "condition": "min(c in cohorts: c.satisfaction) >= 0.75 and min(c in cohorts: c.survey_response_rate) >= 0.3",
      "parts": [
        {
          "text": "min(c in cohorts: c.satisfaction) >= 0.75",
          "held": true,
          "detail": "min(c in cohorts: ...) = 0.84, required >= 0.75"
        },
        {
          "text": "min(c in cohorts: c.survey_response_rate) >= 0.3",
          "held": true,
          "detail": "min(c in cohorts: ...) = 0.58, required >= 0.3"
        }
      ],
      "rationale": "Satisfaction figures mean little when few learners answer; both the level and the response rate are needed.",
      "remediation": "Survey every cohort, report satisfaction (0-1) and the response rate; act on low scores and raise response rates above 30%.",
      "references": [],
      "error": null,
      "sha256": "5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa",
      "review": null
    },
    {
      "id": "ST-QA-01",
      "title": "Internal review at least every two years, the last one within two years",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "quality_assurance.internal_review_cycle_months",
          "value": 12,
          "source": null
        },
        {
          "path": "quality_assurance.last_internal_review",
          "value": "2024-09-20",
          "source": null
        }
      ],
      "explanation": "met: quality_assurance.internal_review_cycle_months = 12; quality_assurance.last_internal_review = 2024-09-20; quality_assurance.internal_review_cycle_months = 12, required <= 24; days_since(quality_assurance.last_internal_review) = 468, required <= 730",
      "condition": "exists(quality_assurance.internal_review_cycle_months) and exists(quality_assurance.last_internal_review) and quality_assurance.internal_review_cycle_months <= 24 and days_since(quality_assurance.last_internal_review) <= 730",
      "parts": [
        {
          "text": "exists(quality_assurance.internal_review_cycle_months)",
          "held": true,
          "detail": "quality_assurance.internal_review_cycle_months = 12"
        },
        {
          "text": "exists(quality_assurance.last_internal_review)",
          "held": true,
          "detail": "quality_assurance.last_internal_review = 2024-09-20"
        },
        {
          "text": "quality_assurance.internal_review_cycle_months <= 24",
          "held": true,
          "detail": "quality_assurance.internal_review_cycle_months = 12, required <= 24"
        },
        {
          "text": "days_since(quality_assurance.last_internal_review) <= 730",
          "held": true,
          "detail": "days_since(quality_assurance.last_internal_review) = 468, required <= 730"
        }
      ],
      "rationale": "Programmes drift; a regular internal review that has actually happened recently is the base of every quality-assurance framework.",
      "remediation": "Review the programme internally at least every 24 months and record the cycle and the date of the last review under quality_assurance.",
      "references": [
        {
          "title": "ESG 2015, standard 1.9 (on-going monitoring and periodic review of programmes)",
          "id": "esg-2015",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b",
      "review": null
    },
    {
      "id": "ST-QA-02",
      "title": "External quality review within the last five years",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 2.0,
      "points": 2.0,
      "max_points": 2.0,
      "evidence": [
        {
          "path": "quality_assurance.external_body",
          "value": "NVAO (Accreditation Organisation of the Netherlands and Flanders)",
          "source": null
        },
        {
          "path": "quality_assurance.external_last_review",
          "value": "2024-05-15",
          "source": null
        }
      ],
      "explanation": "met: quality_assurance.external_body = \"NVAO (Accreditation Organisation of the Netherlands and Flanders)\"; quality_assurance.external_last_review = 2024-05-15; years_since(quality_assurance.external_last_review) = 1.63176, required <= 5",
      "condition": "exists(quality_assurance.external_body) and exists(quality_assurance.external_last_review) and years_since(quality_assurance.external_last_review) <= 5",
      "parts": [
        {
          "text": "exists(quality_assurance.external_body)",
          "held": true,
          "detail": "quality_assurance.external_body = \"NVAO (Accreditation Organisation of the Netherlands and Flanders)\""
        },
        {
          "text": "exists(quality_assurance.external_last_review)",
          "held": true,
          "detail": "quality_assurance.external_last_review = 2024-05-15"
        },
        {
          "text": "years_since(quality_assurance.external_last_review) <= 5",
          "held": true,
          "detail": "years_since(quality_assurance.external_last_review) = 1.63176, required <= 5"
        }
      ],
      "rationale": "External review by a recognised body is what makes internal quality claims credible to others.",
      "remediation": "Have the programme or the provider reviewed by an external QA body and record the body and date (quality_assurance.external_body, external_last_review).",
      "references": [],
      "error": null,
      "sha256": "3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325",
      "review": null
    },
    {
      "id": "ST-QA-03",
      "title": "Learner feedback has led to documented changes",
      "area": "quality_assurance",
      "area_title": "Quality assurance",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "quality_assurance.feedback_changes",
          "value": "<list of 3 items>",
          "source": null
        }
      ],
      "explanation": "met: count(quality_assurance.feedback_changes) = 3, required >= 2",
      "condition": "count(quality_assurance.feedback_changes) >= 2",
      "parts": [
        {
          "text": "count(quality_assurance.feedback_changes) >= 2",
          "held": true,
          "detail": "count(quality_assurance.feedback_changes) = 3, required >= 2"
        }
      ],
      "rationale": "Collecting feedback matters only when it changes the programme; documented changes close the loop.",
      "remediation": "Record what learners said and what was changed in response (quality_assurance.feedback_changes).",
      "references": [],
      "error": null,
      "sha256": "ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8",
      "review": null
    },
    {
      "id": "ST-SU-01",
      "title": "The learning environment claims WCAG 2.1 AA conformance",
      "area": "support",
      "area_title": "Learner support and accessibility",
      "state": "met",
      "essential": false,
      "essential_failed": false,
      "weight": 1.0,
      "points": 1.0,
      "max_points": 1.0,
      "evidence": [
        {
          "path": "support.accessibility.wcag_level",
          "value": "AA",
          "source": null
        }
      ],
      "explanation": "met: support.accessibility.wcag_level = \"AA\"; support.accessibility.wcag_level = \"AA\", required in [\"AA\", \"AAA\"]",
      "condition": "exists(support.accessibility.wcag_level) and support.accessibility.wcag_level in [\"AA\", \"AAA\"]",
      "parts": [
        {
          "text": "exists(support.accessibility.wcag_level)",
          "held": true,
          "detail": "support.accessibility.wcag_level = \"AA\""
        },
        {
          "text": "support.accessibility.wcag_level in [\"AA\", \"AAA\"]",
          "held": true,
          "detail": "support.accessibility.wcag_level = \"AA\", required in [\"AA\", \"AAA\"]"
        }
      ],
      "rationale": "Online learners with disabilities depend on an accessible platform and materials; AA is the level the European accessibility rules require of public bodies.",
      "remediation": "Audit the platform and materials against WCAG 2.1 AA, publish an accessibility statement and record the level under support.accessibility.",
      "references": [
        {
          "title": "Web Content Accessibility Guidelines (WCAG) 2.1",
          "id": null,
          "url": "https://www.w3.org/TR/WCAG21/",
          "section": null
        }
      ],
      "error": null,
      "sha256": "0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d",
      "review": null
    },
    {
      "id": "ST-TR-01",
      "title": "The credential names its title, awarding body and issuer country",
      "area": "transparency",
      "area_title": "Transparency",
      "state": "met",
      "essential": true,
      "essential_failed": false,
      "weight": 3.0,
      "points": 3.0,
      "max_points": 3.0,
      "evidence": [
        {
          "path": "credential.title",
          "value": "Micro-credential in Applied Data Analytics with Python",
          "source": null
        },
        {
          "path": "credential.awarding_bodies",
          "value": "<list of 1 item>",
          "source": null
        },
        {
          "path": "credential.issuer_countries",
          "value": [
            "NL"
          ],
          "source": null
        }
      ],
      "explanation": "met: credential.title = \"Micro-credential in Applied Data Analytics with Python\"; credential.awarding_bodies has 1 item; credential.issuer_countries has 1 item",
      "condition": "not empty(credential.title) and not empty(credential.awarding_bodies) and not empty(credential.issuer_countries)",
      "parts": [
        {
          "text": "empty(credential.title)",
          "held": false,
          "detail": "credential.title = \"Micro-credential in Applied Data Analytics with Python\""
        },
        {
          "text": "empty(credential.awarding_bodies)",
          "held": false,
          "detail": "credential.awarding_bodies has 1 item"
        },
        {
          "text": "empty(credential.issuer_countries)",
          "held": false,
          "detail": "credential.issuer_countries has 1 item"
        }
      ],
      "rationale": "An employer or another institution can only trust a micro-credential whose title, awarding body and country of issue are stated on it; these are mandatory elements of the EU standard.",
      "remediation": "Fill in credential.title, list every awarding body under credential.awarding_bodies and the issuer''s country or countries under credential.issuer_countries.",
      "references": [
        {
          "title": "Council Recommendation 2022/C 243/02, Annex I, mandatory elements",
          "id": "eu-2022-c243-02",
          "url": null,
          "section": null
        }
      ],
      "error": null,
      "sha256": "242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27",
      "review": null
    }
  ],
  "fixes": [],
  "next_decision": null,
  "notes": [],
  "review": null
}
', 'batch-f4d7f5f45ba34076be20f59d8bf00413', '2026-12-02 08:20:03.393741+00');


--
-- Data for Name: finding; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO finding VALUES (1, 1, 'ST-AS-01', '19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9', 'partially_met', 1.5, 3, true);
INSERT INTO finding VALUES (2, 1, 'ST-AS-02', 'a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e', 'not_met', 0, 2, false);
INSERT INTO finding VALUES (3, 1, 'ST-AS-03', 'b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9', 'not_applicable', 0, 0, false);
INSERT INTO finding VALUES (4, 1, 'ST-AS-04', 'a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1', 'partially_met', 0.5, 1, false);
INSERT INTO finding VALUES (5, 1, 'ST-CU-01', '636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0', 'met', 3, 3, false);
INSERT INTO finding VALUES (6, 1, 'ST-CU-02', 'c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce', 'partially_met', 1, 2, false);
INSERT INTO finding VALUES (7, 1, 'ST-CU-03', '42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c', 'met', 2, 2, false);
INSERT INTO finding VALUES (8, 1, 'ST-CU-04', 'ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592', 'met', 1, 1, false);
INSERT INTO finding VALUES (9, 1, 'ST-IN-01', '7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300', 'not_met', 0, 1, false);
INSERT INTO finding VALUES (10, 1, 'ST-IN-02', 'fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f', 'not_met', 0, 1, false);
INSERT INTO finding VALUES (11, 1, 'ST-OU-01', 'fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5', 'partially_met', 1, 2, false);
INSERT INTO finding VALUES (12, 1, 'ST-OU-02', '5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa', 'met', 1, 1, false);
INSERT INTO finding VALUES (13, 1, 'ST-QA-01', '8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b', 'met', 3, 3, false);
INSERT INTO finding VALUES (14, 1, 'ST-QA-02', '3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325', 'not_met', 0, 2, false);
INSERT INTO finding VALUES (15, 1, 'ST-QA-03', 'ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8', 'partially_met', 0.5, 1, false);
INSERT INTO finding VALUES (16, 1, 'ST-SU-01', '0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d', 'partially_met', 0.5, 1, false);
INSERT INTO finding VALUES (17, 1, 'ST-TR-01', '242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27', 'met', 3, 3, false);
INSERT INTO finding VALUES (18, 2, 'ST-QA-01', '8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b', 'not_met', 0, 3, true);
INSERT INTO finding VALUES (19, 2, 'ST-TR-01', '242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27', 'not_met', 0, 3, true);
INSERT INTO finding VALUES (20, 2, 'ST-AS-01', '19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9', 'met', 3, 3, false);
INSERT INTO finding VALUES (21, 2, 'ST-AS-02', 'a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e', 'met', 2, 2, false);
INSERT INTO finding VALUES (22, 2, 'ST-AS-03', 'b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9', 'not_applicable', 0, 0, false);
INSERT INTO finding VALUES (23, 2, 'ST-AS-04', 'a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1', 'not_met', 0, 1, false);
INSERT INTO finding VALUES (24, 2, 'ST-CU-01', '636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0', 'met', 3, 3, false);
INSERT INTO finding VALUES (25, 2, 'ST-CU-02', 'c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce', 'partially_met', 1, 2, false);
INSERT INTO finding VALUES (26, 2, 'ST-CU-03', '42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c', 'met', 2, 2, false);
INSERT INTO finding VALUES (27, 2, 'ST-CU-04', 'ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592', 'not_applicable', 0, 0, false);
INSERT INTO finding VALUES (28, 2, 'ST-IN-01', '7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300', 'unknown', 0, 1, false);
INSERT INTO finding VALUES (29, 2, 'ST-IN-02', 'fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f', 'met', 1, 1, false);
INSERT INTO finding VALUES (30, 2, 'ST-OU-01', 'fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5', 'not_met', 0, 2, false);
INSERT INTO finding VALUES (31, 2, 'ST-OU-02', '5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa', 'not_met', 0, 1, false);
INSERT INTO finding VALUES (32, 2, 'ST-QA-02', '3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325', 'not_met', 0, 2, false);
INSERT INTO finding VALUES (33, 2, 'ST-QA-03', 'ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8', 'unknown', 0, 1, false);
INSERT INTO finding VALUES (34, 2, 'ST-SU-01', '0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d', 'not_met', 0, 1, false);
INSERT INTO finding VALUES (35, 3, 'ST-AS-01', '19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9', 'met', 3, 3, false);
INSERT INTO finding VALUES (36, 3, 'ST-AS-02', 'a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e', 'met', 2, 2, false);
INSERT INTO finding VALUES (37, 3, 'ST-AS-03', 'b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9', 'met', 2, 2, false);
INSERT INTO finding VALUES (38, 3, 'ST-AS-04', 'a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1', 'met', 1, 1, false);
INSERT INTO finding VALUES (39, 3, 'ST-CU-01', '636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0', 'exemplary', 3, 3, false);
INSERT INTO finding VALUES (40, 3, 'ST-CU-02', 'c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce', 'met', 2, 2, false);
INSERT INTO finding VALUES (41, 3, 'ST-CU-03', '42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c', 'met', 2, 2, false);
INSERT INTO finding VALUES (42, 3, 'ST-CU-04', 'ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592', 'exemplary', 1, 1, false);
INSERT INTO finding VALUES (43, 3, 'ST-IN-01', '7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300', 'met', 1, 1, false);
INSERT INTO finding VALUES (44, 3, 'ST-IN-02', 'fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f', 'met', 1, 1, false);
INSERT INTO finding VALUES (45, 3, 'ST-OU-01', 'fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5', 'met', 2, 2, false);
INSERT INTO finding VALUES (46, 3, 'ST-OU-02', '5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa', 'met', 1, 1, false);
INSERT INTO finding VALUES (47, 3, 'ST-QA-01', '8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b', 'met', 3, 3, false);
INSERT INTO finding VALUES (48, 3, 'ST-QA-02', '3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325', 'met', 2, 2, false);
INSERT INTO finding VALUES (49, 3, 'ST-QA-03', 'ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8', 'met', 1, 1, false);
INSERT INTO finding VALUES (50, 3, 'ST-SU-01', '0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d', 'met', 1, 1, false);
INSERT INTO finding VALUES (51, 3, 'ST-TR-01', '242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27', 'met', 3, 3, false);


--
-- Data for Name: rejection; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO rejection VALUES (1, '/tmp/v1fx/in/broken.yaml', '115507cb227c3e94f871090e49e8bb6a85399e129dc2a0008feef0dae8e0d9c2', NULL, '/tmp/v1fx/in/broken.yaml:3:6: invalid YAML: mapping values are not allowed here; fix the YAML syntax.', 'batch-f4d7f5f45ba34076be20f59d8bf00413', '2026-12-02 08:20:03.129853+00');


--
-- Data for Name: review_action; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO review_action VALUES (1, 1, 'bootcamp-web-dev', 'ST-AS-01', '19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9', 'partially_met', 'override', 'met', 'outcome O4 assessed by the capstone (letter of 2026-01-05)', 'A. Jones', '2026-12-02 08:20:04.618971+00', NULL);
INSERT INTO review_action VALUES (2, 2, 'mooc-intro-ai', 'ST-IN-01', '7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300', 'unknown', 'waiver', NULL, 'training scheduled', 'B. Smith', '2026-12-02 08:20:05.625478+00', '2027-06-30');


--
-- Data for Name: rubric_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO rubric_version VALUES (1, 'qa-starter', '1.0.0', '4e983bcf704f04f0775c00d84bc9816a0fc6351966566fd25628c71065b2a926', 'Starter rubric (three decision bands)', '/work/wt/lead/rubrics/qa-starter/1.0.0.yaml', '{"area_weights":{},"bands":[{"description":"","id":"accredited","label":"Accredited","max_essential_failures":0,"min_score":85.0,"passes":true},{"description":"Accredited on condition that the listed fixes, including the one essential criterion not yet met, are made within a year.","id":"accredited_with_conditions","label":"Accredited with conditions","max_essential_failures":1,"min_score":55.0,"passes":true},{"description":"","id":"not_accredited","label":"Not accredited","max_essential_failures":null,"min_score":0.0,"passes":false}],"credits":{"exemplary":1.0,"met":1.0,"not_met":0.0,"partially_met":0.5},"description":"Weighted scoring: each criterion''s weight within its area, every area weighing the same. Accredited needs 85% and no essential criterion failed; accredited with conditions needs 55% and at most one essential criterion failed; everything else is not accredited.","id":"qa-starter","not_applicable":"exclude","scoring":"weighted","title":"Starter rubric (three decision bands)","unknown_credit":0.0,"version":"1.0.0"}', '2026-12-02 08:20:01.460355+00');


--
-- Data for Name: ruleset_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO ruleset_version VALUES (1, 'qa-starter', '1.0.0', '72f3f9936d2e72c1505cba5910d27163015adbb3769761119449ffe47208b65b', 'Starter quality check for short online programmes', '/work/wt/lead/rulesets/qa-starter/1.0.0/ruleset.yaml', '{"criteria":[{"applies_when":null,"area":"assessment","essential":true,"evidence":[],"examples":[{"as_of":null,"dossier":{"assessments":[{"id":"A1"},{"id":"A2","outcomes":["LO2"]}],"outcomes":[{"assessed_by":["A1"],"id":"LO1","statement":"Build"},{"id":"LO2","statement":"Test"}]},"expect":"met","name":"both outcomes assessed"},{"as_of":null,"dossier":{"assessments":[{"id":"A1"}],"outcomes":[{"assessed_by":["A1"],"id":"LO1","statement":"a"},{"assessed_by":["A1"],"id":"LO2","statement":"b"},{"assessed_by":["A1"],"id":"LO3","statement":"c"},{"id":"LO4","statement":"d"}]},"expect":"partially_met","name":"three of four assessed"},{"as_of":null,"dossier":{"outcomes":[{"id":"LO1","statement":"Build"}]},"expect":"not_met","name":"none assessed"}],"id":"ST-AS-01","levels":[{"level":"met","when":"count(outcomes) > 0 and all(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes))"},{"level":"partially_met","when":"share(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes)) >= 0.75"}],"rationale":"A credential certifies its outcomes; an outcome that no assessment checks is certified without evidence that the holder achieved it.","references":[{"id":"esg-2015","section":null,"title":"ESG 2015, standard 1.3 (student-centred learning, teaching and assessment)","url":null}],"remediation":"Assess every outcome: list the assessments that assess it (outcomes[].assessed_by) or the outcomes each assessment covers (assessments[].outcomes).","replaces":[],"sha256":"19f7df8b69199dfa49580fa729fe6712199821e9e6253d9458c14999832a0ca9","title":"Every learning outcome is assessed","weight":3.0},{"applies_when":null,"area":"assessment","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"assessments":[{"id":"A1","weight":0.4},{"id":"A2","weight":0.6}]},"expect":"met","name":"adds up"},{"as_of":null,"dossier":{"assessments":[{"id":"A1","weight":0.4},{"id":"A2","weight":0.5}]},"expect":"not_met","name":"adds up to 90%"},{"as_of":null,"dossier":{"assessments":[{"id":"A1","weight":1},{"id":"A2"}]},"expect":"not_met","name":"a weight missing"}],"id":"ST-AS-02","levels":[{"level":"met","when":"count(assessments) > 0 and all(a in assessments: exists(a.weight)) and sum(a in assessments: a.weight) >= 0.999 and sum(a in assessments: a.weight) <= 1.001"}],"rationale":"Learners must know how each assessment counts towards the result; weights that do not add up to 100% leave part of the grade undefined.","references":[],"remediation":"Give every assessment a weight (a fraction, e.g. 0.3) and make the weights add up to 1.","replaces":[],"sha256":"a9fc0790c8af15cce8e93d4beb4768b680c938b5fc01c7ebc3087cbac1eedd2e","title":"Assessment weights add up to 100%","weight":2.0},{"applies_when":"exists(credential.supervision) and credential.supervision == \"supervised_with_id\"","area":"assessment","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"assessments":[{"id":"A1","identity_verified":true,"supervision":"supervised_with_id"}],"credential":{"supervision":"supervised_with_id"}},"expect":"met","name":"verified exam"},{"as_of":null,"dossier":{"assessments":[{"id":"A1","identity_verified":false,"supervision":"unsupervised_no_id"}],"credential":{"supervision":"supervised_with_id"}},"expect":"not_met","name":"claim without a verified assessment"},{"as_of":null,"dossier":{"credential":{"supervision":"unsupervised_no_id"}},"expect":"not_applicable","name":"no claim"}],"id":"ST-AS-03","levels":[{"level":"met","when":"any(a in assessments: a.supervision == \"supervised_with_id\" and a.identity_verified == true)"}],"rationale":"A credential that states its assessment was supervised with identity verification must rest on at least one assessment where that actually happened.","references":[],"remediation":"Record the supervised, identity-verified assessment (assessments[].supervision and identity_verified), or state the supervision level the assessments really have.","replaces":[],"sha256":"b3ac75f28741fcd8bbab95f10fe86fc990e0550073e66fd8dac82fb9906750e9","title":"Identity verification matches the supervision the credential claims","weight":2.0},{"applies_when":null,"area":"assessment","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"assessments":[{"id":"A1","rubric_published":true}]},"expect":"met","name":"all published"},{"as_of":null,"dossier":{"assessments":[{"id":"A1","rubric_published":true},{"id":"A2","rubric_published":false}]},"expect":"partially_met","name":"some published"},{"as_of":null,"dossier":{"assessments":[{"id":"A1","rubric_published":false}]},"expect":"not_met","name":"none published"},{"as_of":null,"dossier":{"assessments":[{"id":"A1"}]},"expect":"unknown","name":"not said"}],"id":"ST-AS-04","levels":[{"level":"met","when":"count(assessments) > 0 and all(a in assessments: a.rubric_published == true)"},{"level":"partially_met","when":"any(a in assessments: a.rubric_published == true)"}],"rationale":"Learners can only prepare for and contest an assessment whose criteria they know in advance.","references":[],"remediation":"Publish the marking criteria or rubric of every assessment to learners and record it (assessments[].rubric_published).","replaces":[],"sha256":"a5f816962e9f98a793c5ee284509885172306eb222f7fd1b135690c078dd3ba1","title":"Assessment criteria are published to learners","weight":1.0},{"applies_when":null,"area":"curriculum","essential":true,"evidence":[],"examples":[{"as_of":null,"dossier":{"outcomes":[{"bloom_level":3,"esco_skill":"http://data.europa.eu/esco/skill/a","id":"LO1","statement":"Build a dashboard"},{"bloom_level":5,"esco_skill":"http://data.europa.eu/esco/skill/b","id":"LO2","statement":"Evaluate a model"},{"bloom_level":2,"esco_skill":"http://data.europa.eu/esco/skill/c","id":"LO3","statement":"Explain a result"}]},"expect":"exemplary","name":"three outcomes with levels and skills"},{"as_of":null,"dossier":{"outcomes":[{"id":"LO1","statement":"Build a dashboard"},{"id":"LO2","statement":"Evaluate a model"},{"id":"LO3","statement":"Explain a result"}]},"expect":"met","name":"three plain outcomes"},{"as_of":null,"dossier":{"outcomes":[{"id":"LO1","statement":"Understand AI"}]},"expect":"partially_met","name":"one outcome"},{"as_of":null,"dossier":{},"expect":"not_met","name":"no outcomes"}],"id":"ST-CU-01","levels":[{"level":"exemplary","when":"count(outcomes) >= 3 and all(o in outcomes: exists(o.bloom_level) and exists(o.esco_skill))"},{"level":"met","when":"count(outcomes) >= 3"},{"level":"partially_met","when":"count(outcomes) >= 1"}],"rationale":"Learning outcomes are what the credential certifies; without at least a few explicit outcomes nobody can tell what a holder knows or can do.","references":[{"id":"esg-2015","section":null,"title":"ESG 2015, standard 1.2 (design and approval of programmes)","url":null}],"remediation":"State at least three learning outcomes under `outcomes`, each with an observable action verb; add the cognitive (Bloom) level and an ESCO skill reference to reach exemplary.","replaces":[],"sha256":"636ee4ed9bc5176012fbb28b4484d960d29a90c772c2d10a588a1723226c08c0","title":"Learning outcomes are stated","weight":3.0},{"applies_when":null,"area":"curriculum","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"credential":{"workload":{"ects":5,"hours":140}}},"expect":"met","name":"5 ECTS and 140 hours"},{"as_of":null,"dossier":{"credential":{"workload":{"hours":360}}},"expect":"partially_met","name":"hours only"},{"as_of":null,"dossier":{"credential":{"workload":{"ects":5,"hours":60}}},"expect":"partially_met","name":"5 ECTS but 60 hours"},{"as_of":null,"dossier":{"credential":{"title":"X"}},"expect":"not_met","name":"nothing stated"}],"id":"ST-CU-02","levels":[{"level":"met","when":"exists(credential.workload.ects) and exists(credential.workload.hours) and credential.workload.ects > 0 and credential.workload.hours >= 25 * credential.workload.ects and credential.workload.hours <= 30 * credential.workload.ects"},{"level":"partially_met","when":"exists(credential.workload.ects) or exists(credential.workload.hours)"}],"rationale":"Notional workload lets learners and institutions compare and stack credentials; one ECTS credit corresponds to 25 to 30 hours of learning, so stated credits and hours must agree.","references":[{"id":"ects-2015","section":null,"title":"ECTS Users'' Guide 2015","url":null}],"remediation":"Give the workload as ECTS credits and notional hours under credential.workload, with hours between 25 and 30 times the credits.","replaces":[],"sha256":"c7859d25132626bf9fb03154236ce0d8aff7959df3f96741fab4fd274028cdce","title":"Workload is stated in ECTS and consistent with the hours (25-30 hours per credit)","weight":2.0},{"applies_when":null,"area":"curriculum","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"modules":[{"id":"M1","outcomes":["LO1"]}],"outcomes":[{"id":"LO1","statement":"Build a thing"}]},"expect":"met","name":"covered"},{"as_of":null,"dossier":{"modules":[{"id":"M1","outcomes":["LO1"]}],"outcomes":[{"id":"LO1","statement":"Build a thing"},{"id":"LO2","statement":"Test a thing"}]},"expect":"partially_met","name":"half covered"},{"as_of":null,"dossier":{"modules":[{"id":"M1"}],"outcomes":[{"id":"LO1","statement":"Build a thing"}]},"expect":"not_met","name":"not covered"}],"id":"ST-CU-03","levels":[{"level":"met","when":"count(outcomes) > 0 and all(o in outcomes: any(m in modules: o.id in m.outcomes))"},{"level":"partially_met","when":"share(o in outcomes: any(m in modules: o.id in m.outcomes)) >= 0.5"}],"rationale":"An outcome that no module teaches is certified without being taught; coverage shows the curriculum was designed from its outcomes.","references":[],"remediation":"Map each outcome to at least one module (modules[].outcomes), or remove outcomes the programme does not teach.","replaces":[],"sha256":"42292c8ce2067010d1971fcb40dd8295f49e8c132a57fa612bc98c055a7deb5c","title":"Every learning outcome is covered by a module","weight":2.0},{"applies_when":"exists(credential.level.eqf)","area":"curriculum","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"credential":{"level":{"eqf":6}},"outcomes":[{"bloom_level":4,"id":"LO1","statement":"Analyse data"},{"bloom_level":6,"id":"LO2","statement":"Create a model"}]},"expect":"exemplary","name":"EQF 6 with analysis outcomes"},{"as_of":null,"dossier":{"credential":{"level":{"eqf":6}},"outcomes":[{"bloom_level":1,"id":"LO1","statement":"List the terms"}]},"expect":"not_met","name":"EQF 6 with recall only"},{"as_of":null,"dossier":{"credential":{"level":{"eqf":6}},"outcomes":[{"id":"LO1","statement":"Analyse data"}]},"expect":"unknown","name":"EQF 6 without Bloom levels"},{"as_of":null,"dossier":{"credential":{"title":"X"}},"expect":"not_applicable","name":"no level claimed"}],"id":"ST-CU-04","levels":[{"level":"exemplary","when":"credential.level.eqf >= 5 and share(o in outcomes: o.bloom_level >= 4) >= 0.5"},{"level":"met","when":"credential.level.eqf < 5 or max(o in outcomes: o.bloom_level) >= 4"}],"rationale":"EQF level 5 and above describes learners who analyse, evaluate and create; a programme claiming such a level needs outcomes at that cognitive level, not only recall.","references":[{"id":null,"section":null,"title":"Council Recommendation of 22 May 2017 on the European Qualifications Framework, Annex II","url":null}],"remediation":"Give each outcome its Bloom level (outcomes[].bloom_level); at EQF 5 or above include at least one outcome at level 4 (analyse) or higher, or lower the claimed EQF level.","replaces":[],"sha256":"ec39506983075a963b090936b5b5526c53f96f26e75620052a01d845df1ab592","title":"Outcomes reach a cognitive level that fits the stated EQF level","weight":1.0},{"applies_when":"credential.participation.mode in [\"online\", \"blended\"]","area":"instruction","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"credential":{"participation":{"mode":"online"}},"staff":[{"online_teaching_training":true,"role":"tutor"}]},"expect":"met","name":"all trained"},{"as_of":null,"dossier":{"credential":{"participation":{"mode":"blended"}},"staff":[{"online_teaching_training":true,"role":"tutor"},{"online_teaching_training":false,"role":"lead"}]},"expect":"partially_met","name":"one of two trained"},{"as_of":null,"dossier":{"credential":{"participation":{"mode":"online"}},"staff":[{"online_teaching_training":false,"role":"tutor"}]},"expect":"not_met","name":"none trained"},{"as_of":null,"dossier":{"credential":{"participation":{"mode":"on_site"}}},"expect":"not_applicable","name":"on site"}],"id":"ST-IN-01","levels":[{"level":"met","when":"count(staff) > 0 and all(s in staff: s.online_teaching_training == true)"},{"level":"partially_met","when":"any(s in staff: s.online_teaching_training == true)"}],"rationale":"Teaching online well is a skill of its own; trained staff design better interaction and support.","references":[],"remediation":"Train every teacher of an online or blended programme in online pedagogy and record it (staff[].online_teaching_training).","replaces":[],"sha256":"7bd16a76c50306d94a2ff8214dbc641d971e557b2fbabe073a6c941f1a698300","title":"Teaching staff are trained to teach online","weight":1.0},{"applies_when":null,"area":"instruction","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"assessments":[{"id":"A1"}],"modules":[{"id":"M1","outcomes":["LO1","LO2","LO3"]}],"outcomes":[{"assessed_by":["A1"],"id":"LO1","statement":"a"},{"assessed_by":["A1"],"id":"LO2","statement":"b"},{"assessed_by":["A1"],"id":"LO3","statement":"c"}]},"expect":"met","name":"aligned"},{"as_of":null,"dossier":{"assessments":[{"id":"A1"}],"outcomes":[{"assessed_by":["A1"],"id":"LO1","statement":"a"},{"assessed_by":["A1"],"id":"LO2","statement":"b"},{"assessed_by":["A1"],"id":"LO3","statement":"c"}]},"expect":"not_met","name":"not taught"}],"id":"ST-IN-02","levels":[{"level":"met","when":"met(\"ST-CU-01\") and met(\"ST-CU-03\") and met(\"ST-AS-01\")"}],"rationale":"Outcomes, teaching and assessment must line up (constructive alignment); this criterion follows from the three that check each link.","references":[],"remediation":"Meet ST-CU-01, ST-CU-03 and ST-AS-01.","replaces":[],"sha256":"fae4d308362855c6d180443c9cba30333442da41c9020069aaeec38374fe723f","title":"The programme is coherent (outcomes stated, taught and assessed)","weight":1.0},{"applies_when":null,"area":"outcomes","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"cohorts":[{"completed":85,"enrolled":100,"id":"C1"}]},"expect":"exemplary","name":"85% completion"},{"as_of":null,"dossier":{"cohorts":[{"completed":65,"enrolled":100,"id":"C1"}]},"expect":"met","name":"65% completion"},{"as_of":null,"dossier":{"cohorts":[{"completed":90,"enrolled":100,"id":"C1"},{"completed":45,"enrolled":100,"id":"C2"}]},"expect":"partially_met","name":"one weak cohort"},{"as_of":null,"dossier":{"cohorts":[{"completed":80,"enrolled":1000,"id":"C1"}]},"expect":"not_met","name":"very low"},{"as_of":null,"dossier":{},"expect":"unknown","name":"no cohort data"}],"id":"ST-OU-01","levels":[{"level":"exemplary","when":"min(c in cohorts: c.completed / c.enrolled) >= 0.8"},{"level":"met","when":"min(c in cohorts: c.completed / c.enrolled) >= 0.6"},{"level":"partially_met","when":"min(c in cohorts: c.completed / c.enrolled) >= 0.4"}],"rationale":"Completion is the plainest signal that the workload, support and design fit the learners the programme admits; a new programme without cohorts stays unknown rather than failing.","references":[],"remediation":"Report enrolled and completed learners per cohort (cohorts[]); where completion is below 60%, analyse drop-out points and strengthen support or adjust the workload.","replaces":[],"sha256":"fc2319e374b87400d82d4d4f932dbcb85a60b872c181386d404370a9ac539ba5","title":"Completion rate of every cohort","weight":2.0},{"applies_when":null,"area":"outcomes","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"cohorts":[{"id":"C1","satisfaction":0.85,"survey_response_rate":0.5}]},"expect":"met","name":"satisfied, good response"},{"as_of":null,"dossier":{"cohorts":[{"id":"C1","satisfaction":0.9,"survey_response_rate":0.1}]},"expect":"not_met","name":"too few answers"},{"as_of":null,"dossier":{"cohorts":[{"enrolled":10,"id":"C1"}]},"expect":"unknown","name":"no survey figures"}],"id":"ST-OU-02","levels":[{"level":"met","when":"min(c in cohorts: c.satisfaction) >= 0.75 and min(c in cohorts: c.survey_response_rate) >= 0.3"}],"rationale":"Satisfaction figures mean little when few learners answer; both the level and the response rate are needed.","references":[],"remediation":"Survey every cohort, report satisfaction (0-1) and the response rate; act on low scores and raise response rates above 30%.","replaces":[],"sha256":"5853b74cfa498e546e65693f181a4e5c50a318918a30c31c803a1aefe75d6bfa","title":"Learner satisfaction with a representative survey response","weight":1.0},{"applies_when":null,"area":"quality_assurance","essential":true,"evidence":[],"examples":[{"as_of":"2026-01-01","dossier":{"quality_assurance":{"internal_review_cycle_months":12,"last_internal_review":"2025-03-01"}},"expect":"met","name":"yearly review, done last year"},{"as_of":"2026-01-01","dossier":{"quality_assurance":{"internal_review_cycle_months":12,"last_internal_review":"2020-03-01"}},"expect":"not_met","name":"review overdue"},{"as_of":null,"dossier":{},"expect":"not_met","name":"nothing recorded"}],"id":"ST-QA-01","levels":[{"level":"met","when":"exists(quality_assurance.internal_review_cycle_months) and exists(quality_assurance.last_internal_review) and quality_assurance.internal_review_cycle_months <= 24 and days_since(quality_assurance.last_internal_review) <= 730"}],"rationale":"Programmes drift; a regular internal review that has actually happened recently is the base of every quality-assurance framework.","references":[{"id":"esg-2015","section":null,"title":"ESG 2015, standard 1.9 (on-going monitoring and periodic review of programmes)","url":null}],"remediation":"Review the programme internally at least every 24 months and record the cycle and the date of the last review under quality_assurance.","replaces":[],"sha256":"8945c38376577c61e64c32b07b812561ca3152b38b05c9891981aec624948c3b","title":"Internal review at least every two years, the last one within two years","weight":3.0},{"applies_when":null,"area":"quality_assurance","essential":false,"evidence":[],"examples":[{"as_of":"2026-01-01","dossier":{"quality_assurance":{"external_body":"NVAO","external_last_review":"2024-05-01"}},"expect":"met","name":"reviewed in 2024"},{"as_of":"2026-01-01","dossier":{"quality_assurance":{"external_body":"NVAO","external_last_review":"2015-05-01"}},"expect":"not_met","name":"reviewed in 2015"},{"as_of":null,"dossier":{"quality_assurance":{"internal_review_cycle_months":12}},"expect":"not_met","name":"never reviewed"}],"id":"ST-QA-02","levels":[{"level":"met","when":"exists(quality_assurance.external_body) and exists(quality_assurance.external_last_review) and years_since(quality_assurance.external_last_review) <= 5"}],"rationale":"External review by a recognised body is what makes internal quality claims credible to others.","references":[],"remediation":"Have the programme or the provider reviewed by an external QA body and record the body and date (quality_assurance.external_body, external_last_review).","replaces":[],"sha256":"3878a5c82dddcbabeadcd8aa2ad6d64174ff6206edcf69544fe4a94bec374325","title":"External quality review within the last five years","weight":2.0},{"applies_when":null,"area":"quality_assurance","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"quality_assurance":{"feedback_changes":[{"change":"Split week 2 into two weeks","feedback":"Too much reading in week 2"},{"change":"Added worked examples to the rubric","feedback":"Unclear rubric"}]}},"expect":"met","name":"two changes"},{"as_of":null,"dossier":{"quality_assurance":{"feedback_changes":[{"change":"Added worked examples","feedback":"Unclear rubric"}]}},"expect":"partially_met","name":"one change"},{"as_of":null,"dossier":{"quality_assurance":{"internal_review_cycle_months":12}},"expect":"not_met","name":"none"}],"id":"ST-QA-03","levels":[{"level":"met","when":"count(quality_assurance.feedback_changes) >= 2"},{"level":"partially_met","when":"not empty(quality_assurance.feedback_changes)"}],"rationale":"Collecting feedback matters only when it changes the programme; documented changes close the loop.","references":[],"remediation":"Record what learners said and what was changed in response (quality_assurance.feedback_changes).","replaces":[],"sha256":"ef0817d15e2744cc807136d9d6689cae0e294807bc99a59f39091536aa1e01f8","title":"Learner feedback has led to documented changes","weight":1.0},{"applies_when":null,"area":"support","essential":false,"evidence":[],"examples":[{"as_of":null,"dossier":{"support":{"accessibility":{"wcag_level":"AA"}}},"expect":"met","name":"AA"},{"as_of":null,"dossier":{"support":{"accessibility":{"wcag_level":"A"}}},"expect":"partially_met","name":"A only"},{"as_of":null,"dossier":{"support":{"services":["forum"]}},"expect":"not_met","name":"no claim"}],"id":"ST-SU-01","levels":[{"level":"met","when":"exists(support.accessibility.wcag_level) and support.accessibility.wcag_level in [\"AA\", \"AAA\"]"},{"level":"partially_met","when":"exists(support.accessibility.wcag_level) and support.accessibility.wcag_level == \"A\""}],"rationale":"Online learners with disabilities depend on an accessible platform and materials; AA is the level the European accessibility rules require of public bodies.","references":[{"id":null,"section":null,"title":"Web Content Accessibility Guidelines (WCAG) 2.1","url":"https://www.w3.org/TR/WCAG21/"}],"remediation":"Audit the platform and materials against WCAG 2.1 AA, publish an accessibility statement and record the level under support.accessibility.","replaces":[],"sha256":"0072f4a967a8d1b15eae7391594a3c984ae3d3cde821d2cacc07ad9a607d7a0d","title":"The learning environment claims WCAG 2.1 AA conformance","weight":1.0},{"applies_when":null,"area":"transparency","essential":true,"evidence":[],"examples":[{"as_of":null,"dossier":{"credential":{"awarding_bodies":[{"name":"University of Example"}],"issuer_countries":["NL"],"title":"Data Analytics"}},"expect":"met","name":"all three stated"},{"as_of":null,"dossier":{"credential":{"issuer_countries":["NL"],"title":"Data Analytics"}},"expect":"not_met","name":"no awarding body"}],"id":"ST-TR-01","levels":[{"level":"met","when":"not empty(credential.title) and not empty(credential.awarding_bodies) and not empty(credential.issuer_countries)"}],"rationale":"An employer or another institution can only trust a micro-credential whose title, awarding body and country of issue are stated on it; these are mandatory elements of the EU standard.","references":[{"id":"eu-2022-c243-02","section":null,"title":"Council Recommendation 2022/C 243/02, Annex I, mandatory elements","url":null}],"remediation":"Fill in credential.title, list every awarding body under credential.awarding_bodies and the issuer''s country or countries under credential.issuer_countries.","replaces":[],"sha256":"242bbde40961d9a5ff667ce4633d58bfbb2ebf27e7c49915e7d65aaf38618b27","title":"The credential names its title, awarding body and issuer country","weight":3.0}],"description":"A compact set of accreditation checks across transparency, curriculum, assessment, outcomes, quality assurance, learner support and instruction, written for providers who want a first self-check before a full review.","effective_from":"2025-01-01","effective_until":null,"extends":null,"id":"qa-starter","references":[{"id":"eu-2022-c243-02","section":null,"title":"Council Recommendation of 16 June 2022 on a European approach to micro-credentials (2022/C 243/02)","url":"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022H0627(02)"},{"id":"esg-2015","section":null,"title":"Standards and Guidelines for Quality Assurance in the European Higher Education Area (ESG 2015), Part 1","url":"https://www.enqa.eu/esg-standards-and-guidelines-for-quality-assurance-in-the-european-higher-education-area/"}],"rubric":"qa-starter@1.0.0","standards":[{"description":"What the credential tells an employer or another institution.","id":"transparency","title":"Transparency"},{"description":"Outcomes, workload and coverage of the programme.","id":"curriculum","title":"Curriculum rigour"},{"description":"Whether what is certified is actually assessed, fairly and securely.","id":"assessment","title":"Assessment"},{"description":"What happened to the learners who took the programme.","id":"outcomes","title":"Learner outcomes"},{"description":"Internal and external review and the feedback loop.","id":"quality_assurance","title":"Quality assurance"},{"description":"","id":"support","title":"Learner support and accessibility"},{"description":"","id":"instruction","title":"Instructional quality"}],"title":"Starter quality check for short online programmes","version":"1.0.0"}', '2026-12-02 08:20:01.460355+00');


--
-- Data for Name: schema_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO schema_meta VALUES (1, 'qa-engine', 1, '2026-12-02 08:20:01.402801+00', '2026-12-02 08:20:01.402801+00');


--
-- Data for Name: submission; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO submission VALUES (1, 'bootcamp-web-dev', 'c85e40dfb1b599fb98316ade2acb4a6cfadf0b054107f75d55e461afcff6e3fe', '{"assessments":[{"id":"A1","identity_verified":false,"outcomes":["LO1"],"pass_mark":0.6,"rubric_published":true,"supervision":"unsupervised_no_id","title":"Front-end portfolio","type":"portfolio","weight":0.3},{"id":"A2","identity_verified":false,"outcomes":["LO2"],"pass_mark":0.6,"rubric_published":false,"supervision":"supervised_no_id","title":"Live code review of the API project","type":"practical","weight":0.3},{"id":"A3","identity_verified":false,"outcomes":["LO3"],"pass_mark":0.6,"rubric_published":true,"supervision":"supervised_no_id","title":"Capstone presentation and demo","type":"presentation","weight":0.3}],"cohorts":[{"completed":22,"employment_rate":0.55,"enrolled":40,"id":"2024-01","passed":20,"satisfaction":0.78,"start":"2024-01-15","survey_response_rate":0.45},{"completed":20,"employment_rate":0.6,"enrolled":36,"id":"2024-05","passed":19,"satisfaction":0.8,"start":"2024-05-06","survey_response_rate":0.5},{"completed":23,"enrolled":42,"id":"2024-09","passed":21,"satisfaction":0.76,"start":"2024-09-09","survey_response_rate":0.4}],"credential":{"assessment_type":"Portfolio of projects, live code review and a final capstone presentation","awarding_bodies":[{"country":"DE","name":"CodeHarbour Academy GmbH","url":"https://codeharbour.example/"}],"format":"Open Badge 3.0","further_information":"Job-search coaching for three months after the bootcamp","grade":"Pass / pass with distinction","issue_date_shown":true,"issuer_countries":["DE"],"learner_identification":"Full name and certificate number","level":{"eqf":5,"nqf_framework":"DQR","nqf_level":"5 (self-assessed, not formally referenced)"},"outcomes_shown":true,"participation":{"mode":"online","synchronicity":"mixed"},"prerequisites":"None formally; an online aptitude test before admission","quality_assurance_type":"Internal quality management (ISO 9001 certified organisation)","stackability":"Recognised by two partner universities of applied sciences for credit on request","supervision":"supervised_no_id","title":"Certificate in Full-Stack Web Development","workload":{"hours":360.0}},"description":"A 12-week part-time online bootcamp that takes career changers from HTML basics to deploying a full-stack JavaScript application. Live evening classes plus project work.","evidence":[{"id":"EV1","title":"Curriculum overview 2025","url":"https://codeharbour.example/bootcamp/full-stack/curriculum.pdf"},{"description":"Certificate of the organisation''s quality management system","file":"iso9001-certificate.pdf","id":"EV2","title":"ISO 9001 certificate"}],"id":"bootcamp-web-dev","languages":["en"],"modules":[{"activities":[{"description":"Live evening classes, three per week","hours":36.0,"interactive":true,"type":"lecture"},{"description":"Daily coding exercises with automated tests","hours":60.0,"interactive":false,"type":"lab"},{"description":"Personal portfolio website","hours":24.0,"interactive":false,"type":"project"}],"hours":120.0,"id":"M1","materials":[{"accessibility":{"alt_text":true},"title":"Front-end course book","type":"text","url":"https://learn.codeharbour.example/frontend"},{"accessibility":{"captions":false,"transcripts":false},"title":"Class recordings","type":"video"}],"outcomes":["LO1"],"title":"Front-end foundations"},{"activities":[{"description":"Live evening classes, three per week","hours":36.0,"interactive":true,"type":"lecture"},{"description":"Team API project in sprints","hours":84.0,"interactive":true,"type":"project"}],"hours":120.0,"id":"M2","materials":[{"title":"Back-end course book","type":"text","url":"https://learn.codeharbour.example/backend"}],"outcomes":["LO2","LO4"],"title":"Back-end development"},{"activities":[{"description":"Individual full-stack capstone with weekly mentor check-ins","hours":110.0,"interactive":true,"type":"project"},{"description":"Demo day with invited employers","hours":10.0,"interactive":true,"type":"presentation"}],"hours":120.0,"id":"M3","materials":[],"outcomes":["LO3","LO4"],"title":"Capstone"}],"outcomes":[{"action_verb":"build","assessed_by":["A1"],"bloom_level":3,"esco_skill":"http://data.europa.eu/esco/skill/5f3c6b7d-8c9a-4dae-9f4a-6b7c8d9eafb6","id":"LO1","statement":"Build responsive, accessible web pages with semantic HTML, CSS and JavaScript."},{"action_verb":"develop","assessed_by":["A2"],"bloom_level":3,"esco_skill":"http://data.europa.eu/esco/skill/6a4d7c8e-9dab-4ebf-8a5b-7c8d9eafb0c7","id":"LO2","statement":"Develop a REST API with Node.js and a relational database."},{"action_verb":"design","assessed_by":["A3"],"bloom_level":6,"id":"LO3","statement":"Design and deploy a full-stack application, choosing an appropriate architecture."},{"action_verb":"work","assessed_by":[],"bloom_level":3,"id":"LO4","statement":"Work in an agile team using Git, code review and issue tracking."}],"provider":{"country":"DE","identifier":"HRB 123456 (Amtsgericht Hamburg)","name":"CodeHarbour Academy GmbH","website":"https://codeharbour.example/"},"quality_assurance":{"feedback_changes":[{"change":"Added a bridging week on asynchronous JavaScript before module 2.","date":"2024-06-15","feedback":"Learners struggled with the jump from front-end to back-end."}],"internal_review_cycle_months":6,"last_internal_review":"2024-11-30"},"relevance":{"employer_involvement":true,"employer_partners":["Hamburg Logistics IT Services","Two regional web agencies"],"labour_market_evidence":"Placement statistics of past cohorts; no labour-market study","skills_framework":"ESCO"},"schema_version":"1.0","staff":[{"online_teaching_training":false,"qualification_eqf":6,"role":"lead instructor","years_experience":10.0},{"online_teaching_training":false,"qualification_eqf":6,"role":"instructor","years_experience":5.0},{"online_teaching_training":false,"qualification_eqf":5,"role":"teaching assistant","years_experience":1.0}],"submitted":"2025-01-20","support":{"accessibility":{"wcag_level":"A","wcag_version":"2.1"},"response_time_hours":48.0,"services":["mentor check-ins","community chat","career coaching"]},"title":"Full-Stack Web Development Bootcamp","transparency":{"public_url":"https://codeharbour.example/bootcamp/full-stack","published_items":["fees","outcomes","workload","schedule"]}}', '/tmp/v1fx/in/bootcamp-web-dev.yaml', '2026-12-02 08:20:03.380042+00');
INSERT INTO submission VALUES (2, 'mooc-intro-ai', 'e4c08be5878c60b4b21c506f3121a281d533d23bf969b4f7434c4462c5bca201', '{"assessments":[{"id":"Q1","identity_verified":false,"outcomes":["LO1","LO2"],"pass_mark":0.5,"rubric_published":false,"supervision":"unsupervised_no_id","title":"Week 1 quiz","type":"quiz","weight":0.5},{"id":"Q2","identity_verified":false,"outcomes":["LO1","LO3"],"pass_mark":0.5,"rubric_published":false,"supervision":"unsupervised_no_id","title":"Week 2 quiz","type":"quiz","weight":0.5}],"cohorts":[{"completed":1000,"enrolled":12500,"id":"self-paced-2024","passed":960,"satisfaction":0.7,"start":"2024-01-01","survey_response_rate":0.03}],"credential":{"assessment_type":"Automatically graded multiple-choice quizzes","awarding_bodies":[{"name":"OpenLearn Global"}],"format":"PDF certificate","grade":"Completed (no grade)","issue_date_shown":true,"issuer_countries":[],"learner_identification":"Name as entered by the learner in the profile","outcomes_shown":false,"participation":{"mode":"online","synchronicity":"asynchronous"},"supervision":"unsupervised_no_id","title":"Certificate of Completion - Introduction to AI","workload":{"hours":12.0}},"description":"A free self-paced online course about what AI is and how it is used.","evidence":[],"id":"mooc-intro-ai","languages":["en"],"modules":[{"activities":[{"description":"Short videos","hours":5.0,"interactive":false,"type":"lecture"}],"hours":6.0,"id":"W1","materials":[{"accessibility":{"captions":true,"transcripts":false},"title":"Week 1 videos","type":"video"}],"outcomes":["LO1","LO2"],"title":"What is AI?"},{"activities":[{"description":"Short videos and readings","hours":5.0,"interactive":false,"type":"lecture"}],"hours":6.0,"id":"W2","materials":[{"title":"Week 2 videos","type":"video"}],"outcomes":["LO1","LO3"],"title":"How machines learn"}],"outcomes":[{"assessed_by":["Q1","Q2"],"bloom_level":2,"id":"LO1","statement":"Understand AI."},{"action_verb":"list","assessed_by":["Q1"],"bloom_level":1,"id":"LO2","statement":"List common applications of machine learning in everyday products."},{"action_verb":"describe","assessed_by":["Q2"],"bloom_level":2,"id":"LO3","statement":"Describe the difference between supervised and unsupervised learning."}],"provider":{"name":"OpenLearn Global","website":"https://openlearn-global.example/"},"schema_version":"1.0","staff":[{"name":"Course team","role":"presenter"}],"submitted":"2025-02-03","support":{"services":["discussion forum (peer support, not moderated)","FAQ"]},"title":"Introduction to Artificial Intelligence","transparency":{"public_url":"https://openlearn-global.example/courses/intro-ai","published_items":["outcomes"]}}', '/tmp/v1fx/in/mooc-intro-ai.yaml', '2026-12-02 08:20:03.393741+00');
INSERT INTO submission VALUES (3, 'uni-data-analytics', '07a6e37008c66673a0dbba9ee6dc1df161b760fdd1109bd183e7525edcc2aa5a', '{"assessments":[{"id":"A1","identity_verified":true,"outcomes":["LO1","LO2","LO3"],"pass_mark":0.55,"rubric_published":true,"supervision":"supervised_with_id","title":"Online exam on data wrangling and statistics","type":"exam","weight":0.2},{"id":"A2","identity_verified":true,"outcomes":["LO2","LO3","LO4","LO5"],"pass_mark":0.55,"rubric_published":true,"supervision":"supervised_no_id","title":"Capstone data analysis project with report","type":"project","weight":0.5},{"id":"A3","identity_verified":false,"outcomes":["LO1","LO4","LO5"],"pass_mark":0.55,"rubric_published":true,"supervision":"unsupervised_no_id","title":"Portfolio of cleaned data sets and visualisations","type":"portfolio","weight":0.3}],"cohorts":[{"completed":37,"employment_rate":0.9,"enrolled":48,"id":"2023-spring","passed":35,"progression_rate":0.21,"satisfaction":0.84,"start":"2023-02-06","survey_response_rate":0.62},{"completed":43,"employment_rate":0.91,"enrolled":55,"id":"2023-autumn","passed":41,"progression_rate":0.24,"satisfaction":0.86,"start":"2023-09-04","survey_response_rate":0.58},{"completed":47,"enrolled":61,"id":"2024-spring","passed":45,"progression_rate":0.26,"satisfaction":0.88,"start":"2024-02-05","survey_response_rate":0.66}],"credential":{"assessment_type":"Supervised online exam with ID check, graded project and graded portfolio","awarding_bodies":[{"country":"NL","identifier":"NL WESTERV01","name":"Westerveld University","url":"https://www.westerveld-university.example/"}],"format":"European Digital Credential","further_information":"Issued as a European Digital Credential, verifiable online","grade":"Dutch 1-10 scale, 5.5 to pass; the final grade is shown on the credential","issue_date_shown":true,"issuer_countries":["NL"],"learner_identification":"Full name, date of birth and university student number","level":{"eqf":6,"nqf_framework":"NLQF","nqf_level":"6","qf_ehea_cycle":"first"},"outcomes_shown":true,"participation":{"mode":"online","synchronicity":"mixed"},"prerequisites":"Bachelor''s degree or equivalent work experience; basic statistics","quality_assurance_type":"Internal quality assurance under the university''s institutional QA system, externally audited by the national accreditation organisation","stackability":"Counts for 5 of the 30 ECTS of the Postgraduate Certificate in Data Science","supervision":"supervised_with_id","title":"Micro-credential in Applied Data Analytics with Python","workload":{"ects":5.0,"hours":130.0}},"description":"A 5-ECTS online micro-credential for working professionals who need to clean, analyse and communicate data with Python. Delivered by the Faculty of Science of Westerveld University and counted towards its postgraduate certificate in Data Science.","evidence":[{"description":"Outcomes, modules, assessment plan and rubrics","file":"handbook-2024-2025.pdf","id":"EV1","title":"Programme handbook 2024-2025"},{"description":"External QA decision of 15 May 2024","id":"EV2","title":"NVAO institutional audit decision","url":"https://www.nvao.example/decisions/westerveld-2024"},{"description":"Annual review including cohort data and feedback actions","file":"internal-review-2024.pdf","id":"EV3","title":"Internal programme review report 2024"},{"description":"Third-party WCAG 2.1 AA audit of the learning platform","file":"wcag-audit-2024.pdf","id":"EV4","title":"Accessibility audit report"}],"id":"uni-data-analytics","languages":["en","nl"],"modules":[{"activities":[{"description":"Recorded mini-lectures with embedded questions","hours":8.0,"interactive":false,"type":"lecture"},{"description":"Weekly notebooks on open government data, with automated feedback","hours":20.0,"interactive":true,"type":"lab"},{"description":"Moderated forum on data-quality problems found in the labs","hours":4.0,"interactive":true,"type":"discussion"},{"description":"Reading and practice exercises","hours":8.0,"interactive":false,"type":"self_study"}],"hours":40.0,"id":"M1","materials":[{"accessibility":{"alt_text":true,"wcag_level":"AA"},"title":"Wrangling notebooks (Jupyter)","type":"notebook","url":"https://learn.westerveld-university.example/da/m1/notebooks"},{"accessibility":{"captions":true,"transcripts":true,"wcag_level":"AA"},"title":"Mini-lecture videos, module 1","type":"video","url":"https://learn.westerveld-university.example/da/m1/videos"}],"outcomes":["LO1","LO5"],"title":"Data wrangling with Python"},{"activities":[{"description":"Live webinars on inference and model validation (recorded)","hours":10.0,"interactive":true,"type":"lecture"},{"description":"Modelling labs with peer code review","hours":25.0,"interactive":true,"type":"lab"},{"description":"Textbook chapters and quizzes for self-assessment","hours":15.0,"interactive":false,"type":"self_study"}],"hours":50.0,"id":"M2","materials":[{"accessibility":{"alt_text":true,"wcag_level":"AA"},"title":"Open textbook \"Statistics for Data Analysts\", chapters 3-7","type":"text","url":"https://learn.westerveld-university.example/da/m2/textbook"},{"accessibility":{"captions":true,"transcripts":true,"wcag_level":"AA"},"title":"Webinar recordings, module 2","type":"video","url":"https://learn.westerveld-university.example/da/m2/webinars"}],"outcomes":["LO2","LO3"],"title":"Statistical analysis and modelling"},{"activities":[{"description":"Capstone analysis for a partner organisation''s question","hours":25.0,"interactive":true,"type":"project"},{"description":"Structured peer review of capstone drafts using the published rubric","hours":5.0,"interactive":true,"type":"peer_review"},{"description":"Case discussions on bias and data ethics","hours":10.0,"interactive":true,"type":"discussion"}],"hours":40.0,"id":"M3","materials":[{"accessibility":{"alt_text":true,"wcag_level":"AA"},"title":"Case studies in data ethics","type":"text","url":"https://learn.westerveld-university.example/da/m3/cases"}],"outcomes":["LO4","LO5"],"title":"Responsible analytics and communication"}],"outcomes":[{"action_verb":"apply","assessed_by":["A1","A3"],"bloom_level":3,"esco_skill":"http://data.europa.eu/esco/skill/0a8f1c2e-3d4b-4e5f-8a9b-1c2d3e4f5a61","id":"LO1","statement":"Apply Python and pandas to import, clean and reshape real-world tabular data sets."},{"action_verb":"analyse","assessed_by":["A1","A2"],"bloom_level":4,"esco_skill":"http://data.europa.eu/esco/skill/1b9e2d3f-4e5c-4f6a-9b0c-2d3e4f5a6b72","id":"LO2","statement":"Analyse data sets with descriptive and inferential statistics and interpret the results."},{"action_verb":"build","assessed_by":["A1","A2"],"bloom_level":4,"esco_skill":"http://data.europa.eu/esco/skill/2c0f3e4a-5f6d-4a7b-8c1d-3e4f5a6b7c83","id":"LO3","statement":"Build and validate regression and classification models for a business question."},{"action_verb":"evaluate","assessed_by":["A2","A3"],"bloom_level":5,"esco_skill":"http://data.europa.eu/esco/skill/3d1a4f5b-6a7e-4b8c-9d2e-4f5a6b7c8d94","id":"LO4","statement":"Evaluate the quality, bias and ethical risks of a data analysis and justify choices made."},{"action_verb":"communicate","assessed_by":["A2","A3"],"bloom_level":3,"esco_skill":"http://data.europa.eu/esco/skill/4e2b5a6c-7b8f-4c9d-8e3f-5a6b7c8d9ea5","id":"LO5","statement":"Communicate analytical findings to non-specialist stakeholders with clear visualisations."}],"provider":{"country":"NL","identifier":"NL WESTERV01","name":"Westerveld University","website":"https://www.westerveld-university.example/"},"quality_assurance":{"external_body":"NVAO (Accreditation Organisation of the Netherlands and Flanders)","external_last_review":"2024-05-15","external_result":"Institutional audit passed without conditions","feedback_changes":[{"change":"Split week 2 into two weeks and added a worked-example webinar.","date":"2023-09-01","feedback":"Learners found the statistics module too dense in week 2."},{"change":"Added learning outcome LO5 and a stakeholder presentation to the capstone.","date":"2024-02-01","feedback":"Employers asked for more practice in communicating results."},{"change":"Captioned and transcribed all videos and re-tested the platform for WCAG 2.1 AA.","date":"2024-09-20","feedback":"Some learners could not follow videos without captions on mobile."}],"internal_review_cycle_months":12,"last_internal_review":"2024-09-20"},"relevance":{"employer_involvement":true,"employer_partners":["Port of Westerveld Authority","Regional Health Insurance Cooperative","Westerveld Municipality, Data Office"],"labour_market_evidence":"Regional vacancy analysis 2023 shows data analysis skills requested in 38% of analyst and policy-officer vacancies; advisory board of four employers reviews the curriculum yearly.","skills_framework":"ESCO"},"schema_version":"1.0","staff":[{"name":"Dr. Anna de Vries","online_teaching_training":true,"qualification_eqf":8,"role":"course lead","years_experience":14.0},{"name":"Dr. Pieter Jansen","online_teaching_training":true,"qualification_eqf":8,"role":"lecturer","years_experience":9.0},{"name":"Lotte Visser","online_teaching_training":true,"qualification_eqf":7,"role":"tutor","years_experience":4.0}],"submitted":"2025-03-14","support":{"accessibility":{"statement_url":"https://learn.westerveld-university.example/accessibility","wcag_level":"AA","wcag_version":"2.1"},"response_time_hours":24.0,"services":["academic tutoring","technical helpdesk","study-skills coaching","disability and accessibility support","career guidance"]},"title":"Applied Data Analytics with Python","transparency":{"public_url":"https://www.westerveld-university.example/microcredentials/data-analytics","published_items":["fees","outcomes","assessment","workload","prerequisites","level","recognition"]}}', '/tmp/v1fx/in/uni-data-analytics.yaml', '2026-12-02 08:20:03.393741+00');


--
-- Name: evaluation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('evaluation_id_seq', 3, true);


--
-- Name: finding_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('finding_id_seq', 51, true);


--
-- Name: rejection_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('rejection_id_seq', 1, true);


--
-- Name: review_action_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('review_action_id_seq', 2, true);


--
-- Name: rubric_version_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('rubric_version_id_seq', 1, true);


--
-- Name: ruleset_version_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('ruleset_version_id_seq', 1, true);


--
-- Name: submission_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('submission_id_seq', 3, true);


--
-- Name: audit_head audit_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY audit_head
    ADD CONSTRAINT audit_head_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: evaluation evaluation_once; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY evaluation
    ADD CONSTRAINT evaluation_once UNIQUE (dossier_sha256, ruleset_sha256, rubric_sha256);


--
-- Name: evaluation evaluation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY evaluation
    ADD CONSTRAINT evaluation_pkey PRIMARY KEY (id);


--
-- Name: finding finding_once; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY finding
    ADD CONSTRAINT finding_once UNIQUE (evaluation_id, criterion_id);


--
-- Name: finding finding_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY finding
    ADD CONSTRAINT finding_pkey PRIMARY KEY (id);


--
-- Name: rejection rejection_input_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY rejection
    ADD CONSTRAINT rejection_input_sha256_key UNIQUE (input_sha256);


--
-- Name: rejection rejection_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY rejection
    ADD CONSTRAINT rejection_pkey PRIMARY KEY (id);


--
-- Name: review_action review_action_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY review_action
    ADD CONSTRAINT review_action_pkey PRIMARY KEY (id);


--
-- Name: rubric_version rubric_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY rubric_version
    ADD CONSTRAINT rubric_version_pkey PRIMARY KEY (id);


--
-- Name: rubric_version rubric_version_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY rubric_version
    ADD CONSTRAINT rubric_version_sha256_key UNIQUE (sha256);


--
-- Name: ruleset_version ruleset_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY ruleset_version
    ADD CONSTRAINT ruleset_version_pkey PRIMARY KEY (id);


--
-- Name: ruleset_version ruleset_version_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY ruleset_version
    ADD CONSTRAINT ruleset_version_sha256_key UNIQUE (sha256);


--
-- Name: schema_meta schema_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY schema_meta
    ADD CONSTRAINT schema_meta_pkey PRIMARY KEY (id);


--
-- Name: submission submission_dossier_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY submission
    ADD CONSTRAINT submission_dossier_sha256_key UNIQUE (dossier_sha256);


--
-- Name: submission submission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY submission
    ADD CONSTRAINT submission_pkey PRIMARY KEY (id);


--
-- Name: ix_audit_log_subject; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_log_subject ON audit_log USING btree (subject);


--
-- Name: ix_evaluation_batch_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_evaluation_batch_id ON evaluation USING btree (batch_id);


--
-- Name: ix_evaluation_dossier_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_evaluation_dossier_id ON evaluation USING btree (dossier_id);


--
-- Name: ix_finding_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_finding_state ON finding USING btree (state);


--
-- Name: ix_rejection_batch_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_rejection_batch_id ON rejection USING btree (batch_id);


--
-- Name: ix_rejection_dossier_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_rejection_dossier_id ON rejection USING btree (dossier_id);


--
-- Name: ix_rubric_version_rubric_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_rubric_version_rubric_id ON rubric_version USING btree (rubric_id);


--
-- Name: ix_ruleset_version_ruleset_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_ruleset_version_ruleset_id ON ruleset_version USING btree (ruleset_id);


--
-- Name: ix_submission_dossier_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_submission_dossier_id ON submission USING btree (dossier_id);


--
-- Name: review_action_lookup; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX review_action_lookup ON review_action USING btree (dossier_id, criterion_id);


--
-- Name: evaluation evaluation_rubric_version_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY evaluation
    ADD CONSTRAINT evaluation_rubric_version_id_fkey FOREIGN KEY (rubric_version_id) REFERENCES rubric_version(id);


--
-- Name: evaluation evaluation_ruleset_version_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY evaluation
    ADD CONSTRAINT evaluation_ruleset_version_id_fkey FOREIGN KEY (ruleset_version_id) REFERENCES ruleset_version(id);


--
-- Name: evaluation evaluation_submission_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY evaluation
    ADD CONSTRAINT evaluation_submission_id_fkey FOREIGN KEY (submission_id) REFERENCES submission(id);


--
-- Name: finding finding_evaluation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY finding
    ADD CONSTRAINT finding_evaluation_id_fkey FOREIGN KEY (evaluation_id) REFERENCES evaluation(id);


--
-- Name: review_action review_action_evaluation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY review_action
    ADD CONSTRAINT review_action_evaluation_id_fkey FOREIGN KEY (evaluation_id) REFERENCES evaluation(id);


--
-- PostgreSQL database dump complete
--


