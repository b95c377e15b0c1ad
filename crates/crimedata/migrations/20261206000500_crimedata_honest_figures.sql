-- What each force recorded each month by crime type, with how many of those had no location.
-- Crimes without a location are in no LSOA and so in no district's figures; a district page
-- says what share of its force's crimes of each type that is, and the force page counts them
-- in the force's totals. Written with each street force-month; filled here from the counts held.
CREATE TABLE crimedata_force_month_type (
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    crime_type TEXT NOT NULL,
    recorded BIGINT NOT NULL,
    without_location BIGINT NOT NULL,
    PRIMARY KEY (force, month, crime_type)
);

INSERT INTO crimedata_force_month_type (force, month, crime_type, recorded, without_location)
SELECT force, month, crime_type, CAST(recorded AS BIGINT), CAST(without_location AS BIGINT) FROM (
SELECT force, month, 'anti-social-behaviour' AS crime_type, SUM(anti_social_behaviour) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN anti_social_behaviour ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'bicycle-theft' AS crime_type, SUM(bicycle_theft) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN bicycle_theft ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'burglary' AS crime_type, SUM(burglary) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN burglary ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'criminal-damage-arson' AS crime_type, SUM(criminal_damage_arson) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN criminal_damage_arson ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'drugs' AS crime_type, SUM(drugs) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN drugs ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'other-crime' AS crime_type, SUM(other_crime) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN other_crime ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'other-theft' AS crime_type, SUM(other_theft) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN other_theft ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'possession-of-weapons' AS crime_type, SUM(possession_of_weapons) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN possession_of_weapons ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'public-order' AS crime_type, SUM(public_order) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN public_order ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'robbery' AS crime_type, SUM(robbery) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN robbery ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'shoplifting' AS crime_type, SUM(shoplifting) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN shoplifting ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'theft-from-the-person' AS crime_type, SUM(theft_from_the_person) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN theft_from_the_person ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'vehicle-crime' AS crime_type, SUM(vehicle_crime) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN vehicle_crime ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
UNION ALL
SELECT force, month, 'violent-crime' AS crime_type, SUM(violent_crime) AS recorded, SUM(CASE WHEN lsoa_code = '' THEN violent_crime ELSE 0 END) AS without_location FROM crimedata_lsoa_month GROUP BY force, month
) AS t WHERE recorded > 0;

-- Which LSOA boundaries a row is from (2011 or 2021, from the lookup's column names; '' when a
-- file does not say) and the year of its population figure, so that a district holding both
-- vintages (police.uk moved to 2021 LSOAs) counts its residents once, and pages name the year.
ALTER TABLE crimedata_lsoa ADD COLUMN vintage TEXT NOT NULL DEFAULT '';
ALTER TABLE crimedata_lsoa ADD COLUMN population_year TEXT NOT NULL DEFAULT '';
