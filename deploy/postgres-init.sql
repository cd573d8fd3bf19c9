-- One database per system (EGOV_SIM_DATABASE_URL uses the {system} placeholder); run once by the postgres image.
CREATE DATABASE egov_gateway OWNER egov;
CREATE DATABASE egov_portal OWNER egov;
CREATE DATABASE egov_employment OWNER egov;
CREATE DATABASE egov_person_registry OWNER egov;
CREATE DATABASE egov_state_corp OWNER egov;
CREATE DATABASE egov_social_fund OWNER egov;
CREATE DATABASE egov_monitoring OWNER egov;
CREATE DATABASE egov_nca OWNER egov;
CREATE DATABASE egov_local_authority OWNER egov;
